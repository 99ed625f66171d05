"""From an image to a prediction: each card's own eval preprocessing read from its zoo code, its labels, and
``hub predict``. The zoo stand-in is ``vision_repos`` (our own code); checkpoints are served from a local server."""
from __future__ import annotations

import dataclasses
import importlib.util
import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO
from http_faults import checkpoints_published
from PIL import Image
from vision_repos import uid, vision_card

import hub
from hub.errors import ImageError, LabelsError, PreprocessError, TaskError

ms = pytest.importorskip("mindspore")


@pytest.fixture(scope="session")
def vision_git_config(tmp_path_factory):
    from vision_repos import make_vision_repos

    return make_vision_repos(tmp_path_factory.mktemp("vision-repos"))


@pytest.fixture
def vision_env(vision_git_config, monkeypatch, hub_env, tmp_path):
    from export_repos import use_repos

    return use_repos(vision_git_config, monkeypatch, tmp_path)


def photo(path: Path, size=(75, 100), mode="RGB", seed=1) -> Path:
    rng = np.random.default_rng(seed)
    pixels = (rng.random((*size, 3)) * 255).astype(np.uint8)
    Image.fromarray(pixels).convert(mode).save(path, quality=90)
    return path


def code_dir(directory: str) -> Path:
    from vision_repos import CARDS

    from hub.cards.repo_link import parse_repo_link
    from hub.routes.zoo import fetch_code_dir

    card = hub.info(uid(next(stem for stem, (_, where, _) in CARDS.items() if where == directory)))
    return fetch_code_dir(parse_repo_link(card.repo_link), card.uid).path


def stand_in_module(directory: str, rel: str):
    """The stand-in's own module, imported from its checkout outside the hub (as a user of the zoo would)."""
    spec = importlib.util.spec_from_file_location(f"standin_{directory}_{Path(rel).stem}", code_dir(directory) / rel)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def first_row(data_set) -> dict:
    return next(data_set.create_dict_iterator(output_numpy=True, num_epochs=1))


def test_each_card_of_a_directory_gets_its_own_eval_pipeline_equal_to_its_dataset_function(vision_env, tmp_path):
    (tmp_path / "images" / "class0").mkdir(parents=True)
    image = photo(tmp_path / "images" / "class0" / "cat.jpg", size=(75, 100))  # a one-image ImageFolderDataset
    dataset = stand_in_module("visionnet", "src/dataset.py")
    cases = {"resnet50_imagenet2012": (dataset.create_dataset_imagenet, 56),
             "resnet101_imagenet2012": (dataset.create_dataset_resnet101, 56),
             "seresnet50_imagenet2012": (dataset.create_dataset_se, 48)}
    configs = {}
    for stem, (create, size) in cases.items():
        expected = first_row(create(str(tmp_path / "images"), False, batch_size=1, eval_image_size=size))["image"][0]
        pre = hub.preprocess(uid(stem))
        got = pre(str(image))
        assert got.dtype == expected.dtype and got.shape == expected.shape == (3, size, size)
        assert np.array_equal(got, expected), stem  # element for element, the zoo's own pipeline
        configs[stem] = pre.config
    resnet50, resnet101, se = (configs[s] for s in cases)
    assert resnet50["resize"] == 64 and resnet50["crop"] == [56, 56] and resnet50["interpolation"] == "BILINEAR"
    assert resnet101["resize"] == 72 and resnet101["interpolation"] == "BICUBIC"
    assert resnet101["mean"] != resnet50["mean"] and se["std"] == [1.0, 1.0, 1.0] and se["input_size"] == [48, 48]
    assert resnet50["layout"] == "CHW" and resnet50["dtype"] == "float32"
    assert resnet50["dataset"] == "ImageFolderDataset" and resnet50["dataset_at"].startswith("src/dataset.py:")
    assert resnet50["fed_by"].startswith("Model.eval at eval.py:")
    assert [s["op"] for s in resnet50["steps"]] == ["Decode", "Resize", "CenterCrop", "Normalize", "HWC2CHW"]
    assert all(s["at"].startswith("src/dataset.py:") for s in resnet50["steps"])
    assert any("resnet101_imagenet2012_config.yaml" in c for c in resnet101["chosen"])
    # a PIL image and an array of the same pixels enter after Decode and give the same
    pixels = np.asarray(Image.open(image).convert("RGB"))
    pre = hub.preprocess(uid("resnet50_imagenet2012"))
    assert np.array_equal(pre(pixels), pre(str(image))) and np.array_equal(pre(Image.open(image)), pre(str(image)))


def test_an_image_folder_after_padding_rows_is_followed_through_the_concatenation(vision_env, tmp_path):
    """ViT's eval data: white padding rows, then the image files, one sampler, the transforms mapped after: the
    image files' rows are what the card's preprocessing gives, element for element."""
    (tmp_path / "images" / "class0").mkdir(parents=True)
    image = photo(tmp_path / "images" / "class0" / "cat.jpg", size=(75, 100))
    rows = stand_in_module("padded", "src/padded.py").create_eval_dataset(str(tmp_path / "images"))
    expected = [r["image"] for r in rows.create_dict_iterator(output_numpy=True, num_epochs=1) if r["label"] != -1]
    pre = hub.preprocess(uid("padded_imagenet2012"))
    got = pre(str(image))
    assert len(expected) == 1 and got.shape == expected[0].shape == (3, 36, 36)
    assert np.array_equal(got, expected[0])
    assert pre.config["dataset"] == "ImageFolderDataset"
    assert [s["op"] for s in pre.config["steps"]] == ["Decode", "Resize", "CenterCrop", "Rescale", "HWC2CHW"]


def test_reading_a_cards_preprocessing_keeps_none_of_the_eval_scripts_modules(vision_env):
    """The eval script runs for its pipeline only and its network is dropped: its ``__main__``, whose globals hold
    that network, is not published into ``sys.modules`` for good."""
    import sys

    from hub.inference import resolve

    def mains() -> set[str]:
        return {name for name in sys.modules if name.startswith("_mshub_zoo_") and "_main" in name}

    resolve.forget()
    before = mains()
    assert hub.preprocess(uid("evalnet_imagenet2012")).config["dataset"] == "ImageFolderDataset"
    assert mains() == before


def test_a_cifar_card_follows_its_decoded_dataset_and_brings_photos_to_its_size(vision_env, tmp_path):
    dataset = stand_in_module("visionnet", "src/dataset.py")
    rng = np.random.default_rng(3)
    image = (rng.random((32, 32, 3)) * 255).astype(np.uint8)
    folder = tmp_path / "cifar"
    folder.mkdir()
    record = bytes([3]) + image.transpose(2, 0, 1).tobytes()  # CIFAR-10's binary format: label, R, G, B planes
    (folder / "test_batch.bin").write_bytes(record * 10000)
    expected = first_row(dataset.create_dataset_cifar10(str(folder), False, batch_size=1, eval_image_size=40))
    pre = hub.preprocess(uid("resnet50_cifar10"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an image of the dataset's own size: nothing to say
        got = pre(image)
    assert np.array_equal(got, expected["image"][0]) and got.shape == (3, 40, 40)
    assert pre.config["input"] == "decoded 32x32x3 uint8 images"
    _, notes = pre.apply(str(photo(tmp_path / "big.png", size=(90, 120))))
    assert any("32x32" in n and "not a step of the zoo's pipeline" in n for n in notes)


def test_grayscale_and_other_modes_are_converted_and_said(vision_env, tmp_path):
    grey = photo(tmp_path / "grey.jpg", mode="L")
    pre = hub.preprocess(uid("resnet50_imagenet2012"))
    with pytest.warns(UserWarning, match="grayscale.*three equal channels"):
        out = pre(str(grey))
    assert out.shape == (3, 56, 56) and np.allclose(out[0] * 58.395 + 123.675, out[1] * 57.12 + 116.28, atol=1e-3)
    mnist = hub.preprocess(uid("lenet_mnist"))
    array, notes = mnist.apply(str(photo(tmp_path / "colour.png", size=(28, 28))))
    assert array.shape == (1, 32, 32) and any("converted to grayscale" in n for n in notes)
    gif = tmp_path / "x.gif"
    Image.open(photo(tmp_path / "y.png")).save(gif)
    array, notes = pre.apply(str(gif))
    assert array.shape == (3, 56, 56) and any("Decode cannot read" in n for n in notes)


def test_bad_images_fail_clearly_and_write_nothing_into_the_cache(vision_env, tmp_path, hub_env):
    pre = hub.preprocess(uid("resnet50_imagenet2012"))
    before = sorted(p for p in hub_env.rglob("*"))
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    with pytest.raises(ImageError, match=r"notes\.txt: not an image"):
        pre(str(text))
    with pytest.raises(ImageError, match=r"missing\.jpg: no such image file"):
        pre(str(tmp_path / "missing.jpg"))
    truncated = tmp_path / "truncated.jpg"  # a header, then half the data: found when it is decoded
    truncated.write_bytes(photo(tmp_path / "whole.jpg", size=(64, 64)).read_bytes()[:600])
    with pytest.raises(ImageError, match=r"truncated\.jpg: .*(Decode|not an image)"):
        pre(str(truncated))
    with pytest.raises(ImageError, match="must be uint8"):
        pre(np.zeros((8, 8, 3), np.float32))
    with pytest.raises(ImageError, match="got shape"):
        pre(np.zeros((8, 8, 5), np.uint8))
    assert sorted(p for p in hub_env.rglob("*")) == before


def test_an_eval_script_that_reads_its_images_itself_gives_its_own_preprocessing_function(vision_env, tmp_path,
                                                                                         monkeypatch):
    image = photo(tmp_path / "street.png", size=(30, 40))  # PNG: cv2.imread's pixels are PIL's, channels swapped
    pre = hub.preprocess(uid("segfunc_voc2012"))
    got = pre(str(image))
    directory = code_dir("segfunc")
    spec = importlib.util.spec_from_file_location("standin_segfunc_eval", directory / "eval.py")
    script = importlib.util.module_from_spec(spec)
    monkeypatch.syspath_prepend(str(directory))  # its own ``from src.net import``, as the zoo runs it
    monkeypatch.setattr(sys, "argv", ["eval.py"])
    before = set(sys.modules)
    spec.loader.exec_module(script)
    for name in set(sys.modules) - before:  # the stand-in's ``src`` is not left to later tests
        monkeypatch.delitem(sys.modules, name)
    args = script.parse_args()
    bgr = np.asarray(Image.open(image).convert("RGB"))[:, :, ::-1]
    expected = script.pre_process(args, bgr, crop_size=24)[0].astype(np.float32)
    assert got.shape == (3, 24, 24) and got.dtype == np.float32 and np.array_equal(got, expected)
    config = pre.config
    assert [step["op"] for step in config["steps"]] == ["ConvertColor", "pre_process"]
    assert config["fed_by"].startswith("pre_process at eval.py:") and config["layout"] == "CHW"
    assert config["steps"][1]["reads"].startswith("BGR pixels (cv2.imread at eval.py:")
    assert config["steps"][1]["crop_size"] == 24 and config["mean"] == [103.53, 116.28, 123.675]
    assert config["input_size"] == [24, 24]
    assert pre.extent(str(image)) == (18, 24)  # the photo's rows in the padded square: predict's mask keeps them
    from hub.inference.predict import _content

    class_map = np.arange(12 * 12).reshape(12, 12)  # a network's map at half the input's size
    assert np.array_equal(_content(class_map, (18, 24), (24, 24)), class_map[:9, :12])
    assert hub.preprocess(uid("resnet50_imagenet2012")).extent(str(image)) is None


def test_a_record_column_decoded_by_the_zoos_own_function_gets_the_image_files_bytes(vision_env, tmp_path):
    image = photo(tmp_path / "street.jpg", size=(30, 40))
    pre = hub.preprocess(uid("recordseg_cityscapes"))
    got = pre(str(image))
    data = stand_in_module("recordseg", "src/data.py")
    mask = io.BytesIO()
    Image.new("L", (40, 30), 3).save(mask, format="PNG")
    from hub.routes.zoo.compat.supplied import removed_names_supplied

    with removed_names_supplied():  # the zoo's function uses np.bool: run as the hub runs zoo code
        expected = data.normalize(np.fromfile(image, np.uint8), np.frombuffer(mask.getvalue(), np.uint8))[0]
    assert got.shape == (3, 30, 40) and np.array_equal(got, expected)
    assert not hasattr(np, "bool")  # (NumPy < 2, as pinned) supplied to the zoo's code alone
    config = pre.config
    assert config["dataset"] == "MindDataset" and config["input"].startswith("image file bytes, decoded by the zoo's")
    assert config["steps"][0]["op"] == "normalize" and config["steps"][0]["with_columns"] == ["label"]
    assert config["layout"] == "CHW"
    with pytest.raises(PreprocessError, match=r"recordbad_cityscapes: MindDataset's column 'image' was taken as "
                                              r"image files \(its first step, scaled at src/data\.py:\d+.*"
                                              r"does not read the file given"):
        hub.preprocess(uid("recordbad_cityscapes"))


def test_a_data_option_with_no_value_gets_a_path_that_is_not_there_and_the_dataset_a_stand_in(vision_env, tmp_path):
    import mindspore.dataset.vision as V

    from hub.routes.zoo.sandbox.argv import names_data

    image = photo(tmp_path / "cat.jpg", size=(50, 60))
    pre = hub.preprocess(uid("datapath_imagenet2012"))  # os.path.join(None, "val") without a path for --eval_url
    want = np.fromfile(image, np.uint8)
    for step in [V.Decode(), V.Resize(40), V.CenterCrop(32), V.Rescale(1 / 255, 0), V.HWC2CHW()]:
        want = step(want)
    got = pre(str(image))
    assert got.shape == (3, 32, 32) and np.array_equal(got, want) and pre.config["dataset"] == "ImageFolderDataset"
    assert names_data("eval_url") and names_data("val_data_dir") and not names_data("output_dir")
    assert not names_data("train_data_path") and not names_data("device_target")


def test_rows_of_the_zoos_own_coco_class_are_read_by_that_class_from_the_users_file(vision_env, tmp_path):
    image = photo(tmp_path / "dog.jpg", size=(45, 70))
    pre = hub.preprocess(uid("cocorows_coco2017"))  # its annotation file is not here: a one-image stand-in index
    got = pre(str(image))
    annotations = tmp_path / "val.json"  # a real one-image annotation file, as the user's COCO would be
    annotations.write_text(json.dumps({"images": [{"id": 9, "file_name": "dog.jpg", "height": 45, "width": 70}],
                                       "annotations": [], "categories": [{"id": 1, "name": "dog"}]}))
    data = stand_in_module("cocorows", "src/coco_data.py")
    expected = first_row(data.create_eval_dataset(str(tmp_path), str(annotations)))["image"][0]
    assert got.shape == (3, 24, 32) and got.dtype == np.float32 and np.array_equal(got, expected)
    other = pre(str(photo(tmp_path / "other.jpg", size=(45, 70), seed=2)))
    assert not np.array_equal(other, got)  # each call reads the file it is given
    config = pre.config
    assert config["input"].startswith("image files, read by the zoo's own data class")
    assert [step["op"] for step in config["steps"]] == ["CocoRows.__getitem__", "letterbox", "Rescale", "HWC2CHW"]
    assert config["steps"][0]["reads"].startswith("image files, by CocoRows of src/coco_data.py:")
    with pytest.raises(PreprocessError, match=r"cocofixed_coco2017: GeneratorDataset's column 'image' was taken as "
                                              r"image files .*does not read the file given.*the same image"):
        hub.preprocess(uid("cocofixed_coco2017"))


def test_a_pipeline_the_hub_cannot_follow_is_an_error_naming_the_line(vision_env):
    with pytest.raises(PreprocessError, match=r"readsfiles_cifar10: eval\.py of official/cv/readsfiles builds no "
                                              r"MindSpore dataset.*at eval\.py:\d+"):
        hub.preprocess(uid("readsfiles_cifar10"))


def test_labels_from_the_code_directory_or_this_project_and_counts_checked(vision_env):
    cifar = hub.labels(uid("resnet50_cifar10"))
    assert cifar[:2] == ["Airplane", "Automobile"] and "infer/data/config/cifar10.names" in cifar.source
    imagenet = hub.labels(uid("resnet50_imagenet2012"))
    assert len(imagenet) == 1000 and imagenet[0] == "tench" and "hub/data/labels/imagenet1k.txt" in imagenet.source
    fitted = imagenet.fitted(1001, "the network")  # the zoo's class_num 1001: output 1000 is no class
    assert len(fitted) == 1001 and fitted.unused == (1000,)
    with pytest.raises(LabelsError, match=r"has 12 classes and the cifar10 names .* are 10"):
        cifar.fitted(12, "the network")
    voc = hub.labels(uid("segnet_voc2012"))
    assert len(voc) == 21 and voc.colors[1] == (128, 0, 0)
    from hub.inference.labels import card_labels

    with pytest.raises(LabelsError, match="no class names for its dataset"):
        card_labels(dataclasses.replace(hub.info(uid("resnet50_cifar10")), train_datasets=("criteo",)))


@pytest.fixture
def served(vision_env, monkeypatch, tmp_path):
    """``publish(stem, network)``: the card ``stem`` now publishes ``network``'s checkpoint."""
    with checkpoints_published(tmp_path, monkeypatch, "r1.10", lambda stem, sha: (f"{stem}.md", vision_card(stem, sha)),
                               None, version="1.10") as publish:
        yield publish


def test_predict_classifies_a_batch_as_the_network_and_pipeline_say(served, tmp_path):
    from hub.inference.predict import predict

    net = hub.load(uid("resnet50_imagenet2012"), pretrained=False)
    for p in net.get_parameters():  # a classifier whose scores differ from class to class
        p.set_data(ms.Tensor(np.random.default_rng(7).standard_normal(p.shape).astype(np.float32)))
    served("resnet50_imagenet2012", net)
    images = [photo(tmp_path / "a.jpg", seed=2), photo(tmp_path / "b.png", seed=3, size=(90, 60))]
    found = predict(uid("resnet50_imagenet2012"), [str(i) for i in images], top=3)
    loaded = hub.load(uid("resnet50_imagenet2012"))
    pre = hub.preprocess(uid("resnet50_imagenet2012"))
    labels = hub.labels(uid("resnet50_imagenet2012"))
    for image, item in zip(images, found.items):
        logits = loaded(ms.Tensor(pre(str(image))[None])).asnumpy()[0].astype(np.float64)
        scores = np.exp(logits - logits.max())
        scores /= scores.sum()
        order = [i for i in np.argsort(-scores, kind="stable") if i != 1000][:3]
        assert [r.index for r in item.top] == order
        assert [r.label for r in item.top] == [labels[i] for i in order]
        assert np.allclose([r.score for r in item.top], scores[order], atol=1e-5)
    assert found.task == "classification" and found.scores == "softmax of the network's logits"
    assert len(found.labels) == 1001 and "Resize(size=64" in found.preprocessing


def test_predict_command_table_json_and_segmentation_masks(served, tmp_path, vision_env):
    served("resnet50_cifar10", hub.load(uid("resnet50_cifar10"), pretrained=False))
    served("segnet_voc2012", hub.load(uid("segnet_voc2012"), pretrained=False))
    image = photo(tmp_path / "street.jpg", size=(50, 70))
    env = {**vision_env, "MSHUB_ENDPOINT": os.environ["MSHUB_ENDPOINT"], "MSHUB_CATALOG": os.environ["MSHUB_CATALOG"]}

    def hub_cli(*args):
        done = subprocess.run([sys.executable, "-m", "hub", "predict", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done

    table = hub_cli(uid("resnet50_cifar10"), str(image), "--top", "2").stdout
    assert str(image) in table and "1. " in table and "2. " in table and "3. " not in table
    doc = json.loads(hub_cli(uid("resnet50_cifar10"), str(image), str(image), "--json").stdout)
    assert doc["task"] == "classification" and len(doc["predictions"]) == 2 and len(doc["predictions"][0]["top"]) == 5
    assert doc["labels"]["source"].startswith("infer/data/config/cifar10.names")
    assert doc["predictions"][0]["top"] == doc["predictions"][1]["top"]
    doc = json.loads(hub_cli(uid("segnet_voc2012"), str(image), "--json").stdout)
    mask = Path(doc["predictions"][0]["mask"])
    assert mask == tmp_path / "street.mask.png" and Image.open(mask).size == (70, 50)
    classes = doc["predictions"][0]["classes"]
    assert sum(c["pixels"] for c in classes) == 70 * 50
    assert all(abs(c["fraction"] - c["pixels"] / (70 * 50)) < 1e-6 for c in classes)
    colours = {tuple(c) for c in np.asarray(Image.open(mask).convert("RGB")).reshape(-1, 3)}
    assert colours == {tuple(c["color"]) for c in classes} and all(len(c["label"]) for c in classes)


def test_predict_refuses_other_tasks_and_bad_images_before_fetching_anything(vision_env, tmp_path, hub_env):
    from hub.inference.predict import predict

    text = tmp_path / "a.txt"
    text.write_text("x")
    cached = sorted(p for p in hub_env.rglob("*") if ".catalogs" not in p.parts)
    with pytest.raises(ImageError, match=r"a\.txt: not an image"):
        predict(uid("resnet50_imagenet2012"), [str(text)])
    image = str(photo(tmp_path / "p.png"))
    with pytest.raises(TaskError, match=r"detectnet_coco2017: its task is object detection.*SSD family"):
        predict(uid("detectnet_coco2017"), [image])
    with pytest.raises(TaskError, match=r"textnet_sst2: its task is cv \(sst2\)"):
        predict(uid("textnet_sst2"), [image])
    assert sorted(p for p in hub_env.rglob("*") if ".catalogs" not in p.parts) == cached


def test_a_photo_that_takes_too_long_is_followed_by_the_inputs_the_scripts_declare(vision_env, tmp_path):
    """The photo through the eval pipeline outlives the time limit; a new child tries the export script's inputs,
    and the result says both."""
    from vision_repos import BASE, RELEASE
    from zoo_repos import stand_in_card

    card = tmp_path / "cards" / "mindspore" / "1.10" / "slowphoto_div2k.md"
    card.parent.mkdir(parents=True)
    card.write_text(stand_in_card("slowphoto", RELEASE, BASE + "slowphoto", "slowphoto_div2k.ckpt", "div2k"))
    run = subprocess.run([sys.executable, "-m", "hub", "loadable", "--catalog", str(tmp_path / "cards"), "--run",
                          "--run-timeout", "3", "--json", "--quiet"], env=vision_env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    (slow,) = json.loads(run.stdout)["outcomes"]
    assert slow["route"] == "zoo" and slow["run"] == "ran", slow
    assert slow["inputs"].startswith("export.py's (same parameter shapes"), slow["inputs"]
    assert slow["forward_seconds"] < 3
    assert "a photo through the card's preprocessing (Decode(" in slow["run_message"]
    assert slow["run_message"].endswith("took more than 3 s first"), slow["run_message"]


def test_the_public_api_is_what_the_issue_shows():
    assert callable(hub.preprocess) and callable(hub.labels) and callable(hub.predict)
    assert REPO.joinpath("hub", "data", "labels", "imagenet1k.txt").is_file()


def test_hub_conf_and_eval_route_networks_get_example_inputs_from_a_photo_through_their_pipeline(vision_env):
    import mindspore.dataset as ds

    workers = ds.config.get_num_parallel_workers()
    sources = {"zoo": "a photo through the card's preprocessing (Decode(",  # the directory's eval pipeline
               # the eval script's own loop, fed that photo, calls the network as it would on its data
               "eval": ("eval.py's own call at eval.py:23, fed a photo through ImageFolderDataset of eval.py:16: "
                        "Decode(")}
    for stem, route in (("confnet_imagenet2012", "zoo"), ("evalnet_imagenet2012", "eval")):
        net = hub.load(uid(stem), pretrained=False)
        assert net.load_report.route == route
        inputs = tuple(net.example_inputs)
        assert [tuple(x.shape) for x in inputs] == [(1, 3, 32, 32)], stem
        assert net.example_inputs.source.startswith(sources[route]), net.example_inputs.source
        assert tuple(net(*inputs).shape) == (1, 1001)
    assert ds.config.get_num_parallel_workers() == workers  # the scripts' dataset settings stayed theirs
    evalnet = hub.load(uid("evalnet_imagenet2012"), pretrained=False)
    assert "not applied: the code's mindspore.dataset.config.set_num_parallel_workers(48)" in \
        evalnet.load_report.notes


def test_the_survey_counts_captured_preprocessing_and_runs_image_cards_on_a_photo(vision_env, tmp_path):
    run = subprocess.run([sys.executable, "-m", "hub", "loadable", "mindspore/1.10/*", "--preprocessing", "--run",
                          "--json", "--quiet"], env=vision_env, cwd=tmp_path, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    got = {o["uid"]: o for o in report["outcomes"]}
    resnet = got[uid("resnet101_imagenet2012")]
    assert resnet["preprocessing"]["resize"] == 72 and resnet["preprocessing"]["input_size"] == [56, 56]
    assert resnet["labels"] == 1000 and resnet["dataset"] == "imagenet1k"
    assert got[uid("resnet50_cifar10")]["labels_source"].startswith("infer/data/config/cifar10.names")
    counts = report["preprocessing"]
    assert got[uid("noisegen_mnist")]["preprocessing_error"].startswith(
        "NoImageInputError: mindspore/1.10/noisegen_mnist: its network takes no image: its export script gives it "
        "Float32[4, 16]")
    assert counts["takes_no_image"] == 1
    built = [o for o in report["outcomes"] if o["ok"] and o["uid"] != uid("noisegen_mnist")]
    assert counts["built"] == len(built) and counts["captured"] == sum(bool(o["preprocessing"]) for o in built)
    assert counts["by_dataset"]["imagenet1k"]["captured"] == 6  # padded's through its concatenation too
    # evalnet, cocorows (its COCO rows read by its own class) and lenet (its export.py fails; its eval.py builds)
    assert counts["by_route"]["eval"]["captured"] == 3
    assert resnet["run"] == "ran" and resnet["inputs"].startswith("a photo through the card's preprocessing")
    assert got[uid("segnet_voc2012")]["run"] == "ran"
