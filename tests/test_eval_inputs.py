"""An eval script's inputs, from its own data pipeline run on a synthetic sample (``eval_inputs``)."""
from __future__ import annotations

import pytest

from hub.inference.pipeline import Pipeline, image_operations, pipeline_inputs

ms = pytest.importorskip("mindspore")
V = pytest.importorskip("mindspore.dataset.vision")
T = pytest.importorskip("mindspore.dataset.transforms")


def test_an_imagenet_pipeline_gives_the_shape_and_dtype_its_network_is_fed():
    steps = [("map", (), {"operations": [V.Decode(), V.Resize(256), V.CenterCrop(224),
                                         V.Normalize([123.7, 116.3, 103.5], [58.4, 57.1, 57.4]), V.HWC2CHW()],
                          "input_columns": "image"}),
             ("map", (), {"operations": T.TypeCast(ms.int32), "input_columns": "label"}),
             ("batch", (32,), {"drop_remainder": True})]
    inputs, source = pipeline_inputs(Pipeline("ImageFolderDataset", {"num_parallel_workers": 8}, steps))
    assert [tuple(x.shape) for x in inputs] == [(1, 3, 224, 224)] and inputs[0].dtype == ms.float32
    assert source.startswith("eval.py's pipeline: ImageFolderDataset -> Decode -> Resize -> CenterCrop")


def test_only_the_image_column_counts_and_compose_is_unpacked():
    steps = [("map", ([T.TypeCast(ms.int32)], ["label"]), {}),
             ("map", (T.Compose([V.Resize((40, 48)), V.Rescale(1 / 255, 0)]),), {"input_columns": ["image"]}),
             ("map", (), {"operations": [V.HWC2CHW()]})]  # no column: the first, the image
    pipeline = Pipeline("Cifar10Dataset", {}, steps)
    assert [type(op).__name__ for op in image_operations(pipeline)] == ["Resize", "Rescale", "HWC2CHW"]
    inputs, _ = pipeline_inputs(pipeline)
    assert tuple(inputs[0].shape) == (1, 3, 40, 48) and inputs[0].dtype == ms.float32
    values = inputs[0].asnumpy()
    assert 0 <= values.min() and values.max() <= 1  # rescaled as the script's own Rescale does


def test_a_pipeline_that_fixes_no_size_or_an_unknown_dataset_gives_no_inputs():
    steps = [("map", (), {"operations": [V.Decode(), V.Resize(256), V.HWC2CHW()], "input_columns": "image"})]
    inputs, why = pipeline_inputs(Pipeline("ImageFolderDataset", {}, steps))
    assert inputs is None and "no fixed input shape" in why
    inputs, why = pipeline_inputs(Pipeline("MindDataset", {}, [("map", (), {"operations": [V.HWC2CHW()]})]))
    assert inputs is None and "MindDataset" in why
    inputs, why = pipeline_inputs(Pipeline("Cifar10Dataset", {}, [("map", (), {"operations": [V.Decode()]})]))
    assert inputs is None and "did not run on a synthetic sample" in why  # a decoded image decoded again


def test_a_dataset_of_records_whose_column_is_decoded_holds_encoded_images():
    steps = [("map", (), {"operations": T.TypeCast(ms.int32), "input_columns": ["label"]}),
             ("map", (), {"operations": [V.Decode(), V.Resize((64, 64)), V.Rescale(1 / 255, 0), V.HWC2CHW()],
                          "input_columns": ["data"]})]
    inputs, source = pipeline_inputs(Pipeline("MindDataset", {"columns_list": ["data", "label"]}, steps))
    assert tuple(inputs[0].shape) == (1, 3, 64, 64) and inputs[0].dtype == ms.float32
    assert "MindDataset -> Decode -> Resize -> Rescale -> HWC2CHW" in source


def test_a_map_of_the_image_with_other_columns_runs_on_stand_ins_and_must_not_depend_on_them():
    np = pytest.importorskip("numpy")

    def resize_keeping_ids(img_id, image, annotation):  # a detection pipeline's eval step: boxes pass through
        return img_id, V.Resize((30, 20))(image), annotation

    def boxes_drawn(img_id, image, annotation):  # the image depends on the boxes: cannot run on an image alone
        return img_id, image + np.uint8(len(annotation)), annotation

    def steps(function):
        columns = {"input_columns": ["img_id", "image", "annotation"], "output_columns": ["img_id", "image", "boxes"]}
        return [("map", (), {"operations": V.Decode(), "input_columns": "image"}),
                ("map", (), {"operations": function, **columns}),
                ("map", (), {"operations": [V.HWC2CHW()], "input_columns": "image"})]

    inputs, source = pipeline_inputs(Pipeline("MindDataset", {}, steps(resize_keeping_ids)))
    assert tuple(inputs[0].shape) == (1, 3, 30, 20) and "resize_keeping_ids" in source
    inputs, why = pipeline_inputs(Pipeline("MindDataset", {}, steps(boxes_drawn)))
    assert inputs is None and "the image it gives depends on them" in why and "'annotation'" in why


def test_a_map_copying_the_image_into_numbered_columns_is_followed_along_the_first_copy():
    def copy_column(image, label):  # SimCLR's: (image, label) -> (image1, image2, label), each copy transformed alike
        return image, image, label

    def not_a_copy(image, label):  # named as copies, but the first is not the image
        return image // 2, image, label

    def steps(function):
        trans = [V.Resize(36), T.TypeCast(ms.float32), V.HWC2CHW()]
        return [("map", (), {"operations": T.TypeCast(ms.int32), "input_columns": "label"}),
                ("map", (), {"operations": function, "input_columns": ["image", "label"],
                             "output_columns": ["image1", "image2", "label"]}),
                ("map", (), {"operations": trans, "input_columns": ["image1"]}),
                ("map", (), {"operations": [V.Rescale(1 / 255, 0)], "input_columns": ["image2"]})]

    pipeline = Pipeline("Cifar10Dataset", {}, steps(copy_column))
    assert [type(op).__name__ for op in image_operations(pipeline)][1:] == ["Resize", "TypeCast", "HWC2CHW"]
    inputs, _ = pipeline_inputs(pipeline)
    assert tuple(inputs[0].shape) == (1, 3, 36, 36) and inputs[0].asnumpy().max() > 1  # image1's steps, not image2's
    inputs, why = pipeline_inputs(Pipeline("Cifar10Dataset", {}, steps(not_a_copy)))
    assert inputs is None and "copying the image into 'image1'" in why
