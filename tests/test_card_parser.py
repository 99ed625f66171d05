"""Cards -> typed records, and every kind of bad card -> one clear error naming file, field, line."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_CARD

from hub.cards import parse_card, parse_evaluation
from hub.errors import CardError

REJECTED = {  # sample card -> (field, words the hub's own checker rejects it for)
    "crnn_crnnds.md": ("train-dataset", "CRNN-DS"),
    "ssimae_mvtecadgrid.md": ("train-dataset", "MVtecAD"),
    "ssimae_mvtecadbottle.md": ("train-dataset", "MVtecAD"),
    "deeptext_icdar2013.md": ("train-dataset", "ICDAR2013 | SCUT-FORU | CocoTextv2"),
    "fit.md": ("train-dataset", "ImageNet"),
    "vanillakd_v1.0_imagenet2012.md": ("accuracy", "invalid YAML"),
}


def sample_cards(shared: Path) -> list[Path]:
    return sorted((shared / "cards" / "sample").rglob("*.md"))


def test_samples_get_the_hubs_verdict(shared):
    cards = sample_cards(shared)
    assert len(cards) == 36
    accepted = []
    for path in cards:
        if path.name in REJECTED:
            field, words = REJECTED[path.name]
            with pytest.raises(CardError) as info:
                parse_card(path)
            assert info.value.field == field
            assert words in str(info.value) and str(path) in str(info.value)
            assert info.value.line is not None
        else:
            accepted.append(parse_card(path))
    assert len(accepted) == 30


def test_the_hubs_quirks_in_the_samples(shared):
    sample = shared / "cards" / "sample"
    placeholder = parse_card(sample / "mindspore/1.10/apdrawinggan_generator_apdrawingdb.md")
    assert placeholder.evaluation == () and placeholder.evaluation_text is None  # 'evaluation: -'
    prefix = parse_card(sample / "mindspore/2.3/bit_resnet50_imagenet2012.md")
    assert prefix.ckpt.sha256 == "77dcaf0f" and prefix.ckpt.is_prefix
    assert [(w.rule, w.field) for w in prefix.warnings] == [("weak-checksum", "asset.asset-sha256")]
    assert "weak checksum, 8 of 64 hex digits" in prefix.warnings[0].message
    split_once = parse_card(sample / "noah-cvlab/ascend/1.1/ipt_v1.0_Set14_SR_x2.md")
    assert (split_once.module_type, split_once.module_detail) == ("cv", "super-resolution")
    no_link = parse_card(sample / "noah-cvlab/gpu/1.0/VGG-Small-low-bit_cifar10.md")
    assert no_link.repo_link == "" and [w.rule for w in no_link.warnings] == ["empty-field"]
    twin = parse_card(sample / "noah-cvlab/ascend/0.7/ghostnet_ssd_v1.0_cn.md")
    english = parse_card(sample / "noah-cvlab/ascend/0.7/ghostnet_ssd_v1.0.md")
    assert twin.language == "zh" and twin.model_name == english.model_name == "GhostNet_SSD"
    assert twin.path.endswith("_cn.md") and twin.uid == english.uid


def test_seed_card_record():
    card = parse_card(SEED_CARD, uid="mindspore/1.7/ssdresnet50fpn_coco2017")
    assert card.model_name == "ssd" and card.backbone == "ssd"
    assert card.module_type == "cv" and card.module_detail is None
    assert card.fine_tunable is True
    assert card.model_version == "1.7" and card.mindspore_version == "1.7"
    assert card.train_datasets == ("coco2017",)
    assert [(m.name, m.value) for m in card.evaluation] == [("acc", 37.56)]
    assert card.repo_link == "https://gitee.com/mindspore/models/tree/r1.7/official/cv/ssd"
    assert card.ckpt.sha256 == "5bf0dc1251ceca4bccc7fa1c42b972188901bf668c4fdf08b0856f6fb3a2bcd1"
    assert card.ckpt.file_name == "ssdresnet50fpn_ascend_v170_coco2017_official_cv_acc37.56.ckpt"
    assert card.title == "ssd" and "## Usage" in card.body
    with pytest.raises(AttributeError):
        card.uid = "other"  # frozen


def test_versions_stay_text_and_details_are_kept(shared):
    card = parse_card(shared / "cards/sample/mindspore/1.10/convnext_imagenet2012.md")
    assert card.model_version == "1.10" and card.mindspore_version == "1.10"  # YAML would say 1.1
    assert card.update_time == "2023-2-17"
    detail = parse_card(shared / "cards/sample/mindspore/1.8/facedetection_widerface.md")
    assert detail.evaluation[0].name == "mAP" and detail.evaluation[0].value == 75.0


@pytest.mark.parametrize("text,expected", [
    ("acc37.56", [("acc", 37.56)]),
    ("top1acc82.2 | top5acc95.74", [("top1acc", 82.2), ("top5acc", 95.74)]),
    ("class0precision91.76", [("class0precision", 91.76)]),
    ("-", []),
    ("good", [("good", None)]),
])
def test_evaluation_parsing(text, expected):
    assert [(m.name, m.value) for m in parse_evaluation(text)] == expected


def card_text(**changes: str | None) -> str:
    """The seed card's text with fields replaced (value None removes the field); fields the seed card
    does not have are added before ``license``."""
    lines = SEED_CARD.read_text(encoding="utf-8").splitlines()
    out, done = [], set()
    for line in lines:
        key = line.split(":", 1)[0].strip()
        if key == "license" and ":" in line:
            out += [f"{k}: {v}" for k, v in changes.items() if v is not None and k not in done
                    and not any(t.strip().startswith(k + ":") for t in lines)]
        if key in changes and ":" in line:
            done.add(key)
            if changes[key] is not None:
                out.append(f"{line.split(':', 1)[0]}: {changes[key]}")
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def write(tmp_path: Path, text: str, name: str = "card.md") -> Path:
    path = tmp_path / "mindspore" / "1.7" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("changes,field,rule,words", [
    ({"license": None}, "license", "required-field", "required field is missing"),
    ({"module-type": None}, "module-type", "required-field", "required field is missing"),
    ({"module-type": "vision"}, "module-type", "module-type", "'vision' is not one of"),
    ({"module-type": ""}, "module-type", "module-type", "must be text"),
    ({"used-for": "inference/training"}, "used-for", "used-for", "'training' is not one of"),
    ({"used-for": "inference / transfer-learning"}, "used-for", "used-for", "'inference ' is not one of"),
    ({"used-for": ""}, "used-for", "used-for", "must be '/'-separated"),
    ({"fine-tunable": "maybe"}, "fine-tunable", "boolean", "must be a boolean"),
    ({"allow-cache-ckpt": "sometimes"}, "allow-cache-ckpt", "boolean", "must be a boolean"),
    ({"accuracy": "76.8%"}, "accuracy", "number", "must be a number"),
    ({"train-backend": ""}, "train-backend", "train-backend", "must be '/'-separated"),
    ({"train-backend": "gpu/tpu"}, "train-backend", "train-backend", "'tpu' is not one of"),
    ({"file-format": "pth"}, "asset.file-format", "asset", "'pth' is not one of"),
    ({"train-dataset": "coco2017_mydata"}, "train-dataset", "train-dataset", "unknown dataset 'mydata'"),
    ({"summary": '"ssd: a detector"'}, "summary", "colon", "contains ':'"),
    ({"update-time": "2022-06-22 10:00:00"}, "update-time", "colon", "contains ':'"),
    ({"repo-link": "[1, 2]"}, "repo-link", "link", "must be a link"),
    ({"asset-sha256": "1234abc"}, "asset.asset-sha256", "asset-sha256", "nor a prefix of at least 8 hex digits"),
    ({"asset-sha256": "zz" * 32}, "asset.asset-sha256", "asset-sha256", "cannot be verified"),
    ({"asset-sha256": "a" * 65}, "asset.asset-sha256", "asset-sha256", "neither a sha256"),
    ({"asset-sha256": ""}, "asset.asset-sha256", "asset-sha256", "cannot be verified"),
])
def test_what_the_hub_rejects_is_one_clear_error(tmp_path, changes, field, rule, words):
    path = write(tmp_path, card_text(**changes))
    with pytest.raises(CardError) as info:
        parse_card(path)
    assert (info.value.field, info.value.rule) == (field, rule)
    assert words in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("changes,check,warned", [
    ({"evaluation": "-"}, lambda c: c.evaluation == (), []),
    ({"module-type": "cv-super-resolution"}, lambda c: c.module_detail == "super-resolution", []),
    ({"module-type": "CV-a-b-c"}, lambda c: (c.module_type, c.module_detail) == ("cv", "a-b-c"), []),
    ({"repo-link": ""}, lambda c: c.repo_link == "", ["empty-field"]),
    ({"summary": ""}, lambda c: c.summary == "", ["empty-field"]),
    ({"used-for": "Inference/TRANSFER-LEARNING"}, lambda c: c.used_for == ("inference", "transfer-learning"), []),
    ({"allow-cache-ckpt": "yes"}, lambda c: c.allow_cache_ckpt is True, []),  # YAML 1.1 boolean
    ({"model-version": "1:30"}, lambda c: c.model_version == "1:30", []),  # sexagesimal 90: no ':' for the hub
    ({"accuracy": "True"}, lambda c: c.accuracy is None, ["accuracy"]),
    ({"asset-sha256": "1234ABCD"}, lambda c: c.ckpt.sha256 == "1234abcd" and c.ckpt.is_prefix, ["weak-checksum"]),
    ({"asset-sha256": "12345678"}, lambda c: c.ckpt.sha256 == "12345678", ["weak-checksum"]),  # digits stay text
    ({"repo-link": "<ftp://example.com/x>"}, lambda c: c.repo_link == "ftp://example.com/x", ["link"]),
    ({"repo-link": "<http://gitee.com/mindspore/models>"}, None, ["http-link"]),
    ({"asset-link": "<http://download.mindspore.cn/x.ckpt>"}, None, ["http-link", "untrusted-host"]),
    ({"asset-link": "<https://example.com/x.ckpt>"}, None, ["untrusted-host"]),
    ({"infer-backend": "tpu"}, None, ["infer-backend"]),
    ({"input-shape": "3x224x224"}, lambda c: c.input_shape is None, ["input-shape"]),
    ({"evaluation": "{top1: 76.8}"}, lambda c: [(m.name, m.value) for m in c.evaluation] == [("top1", 76.8)], []),
])
def test_what_the_hub_accepts_at_most_warns(tmp_path, changes, check, warned):
    card = parse_card(write(tmp_path, card_text(**changes)))
    assert [w.rule for w in card.warnings] == warned
    assert all(w.path == card.path and w.line is not None for w in card.warnings)
    assert check is None or check(card)


def test_error_names_the_line(tmp_path):
    path = write(tmp_path, card_text(**{"module-type": "vision"}))
    with pytest.raises(CardError) as info:
        parse_card(path)
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if t.startswith("module-type"))
    assert info.value.line == line and f"{path}:{line}:" in str(info.value)


def test_yaml_tags_are_refused_not_executed(tmp_path):
    marker = tmp_path / "executed"
    evil = f"!!python/object/apply:os.system ['touch {marker}']"
    path = write(tmp_path, card_text(summary=evil))
    with pytest.raises(CardError) as info:
        parse_card(path)
    assert info.value.field == "summary" and "python/object" in str(info.value)
    assert not marker.exists()


def test_sha256_of_digits_only_stays_text(tmp_path):
    card = parse_card(write(tmp_path, card_text(**{"asset-sha256": "0" * 64})))
    assert card.ckpt.sha256 == "0" * 64


def test_no_front_matter(tmp_path):
    path = write(tmp_path, "# ssd\n\njust prose\n")
    with pytest.raises(CardError, match="exactly two lines starting with '---'.*found none") as info:
        parse_card(path)
    assert info.value.rule == "front-matter"


def test_unclosed_front_matter(tmp_path):
    path = write(tmp_path, "# ssd\n---\nbackbone-name: ssd\n")
    with pytest.raises(CardError, match=r"found 1 \(lines 2\)"):
        parse_card(path)


def test_a_third_fence_rejects_the_card_as_the_hub_does(tmp_path):
    path = write(tmp_path, card_text() + "\n---\n\nmore prose\n")
    with pytest.raises(CardError, match="found 3") as info:
        parse_card(path)
    assert info.value.line == len(card_text().splitlines()) + 2


def test_crlf_and_form_feeds_split_lines_as_a_file_does(tmp_path):
    text = card_text().replace("## Introduction", "## Intro\x0cduction\u2028---").replace("\n", "\r\n")
    card = parse_card(write(tmp_path, text))  # str.splitlines would see a third '---' line here
    assert "Intro\x0cduction\u2028---" in card.body and card.ckpt is not None


def test_duplicate_field_warns_and_the_last_counts(tmp_path):
    text = card_text().replace("license: Apache2.0", "license: Apache2.0\n\nlicense: MIT")
    card = parse_card(write(tmp_path, text))
    assert card.license == "MIT"
    assert [(w.rule, w.field) for w in card.warnings] == [("duplicate-field", "license")]


def test_invalid_yaml_names_line(tmp_path):
    text = card_text().replace("author: MindSpore team", "author: [MindSpore team")
    with pytest.raises(CardError, match="invalid YAML") as info:
        parse_card(write(tmp_path, text))
    assert info.value.line is not None


def test_not_utf8(tmp_path):
    path = write(tmp_path, "")
    path.write_bytes(b"---\nsummary: \xff\xfe\n---\n")
    with pytest.raises(CardError, match="not UTF-8"):
        parse_card(path)


def test_chinese_twin_is_judged_by_its_english_card(tmp_path):
    chinese = "# ssd\n\n---\n\n模型名称：ssd\n\n---\n\n## 介绍\n"
    english = write(tmp_path, card_text(), "ssd.md")
    card = parse_card(write(tmp_path, chinese, "ssd_cn.md"))
    assert card.language == "zh" and card.model_name == "ssd" and card.body == "## 介绍"
    english.write_text(card_text(**{"module-type": "vision"}), encoding="utf-8")
    with pytest.raises(CardError, match="judged by its English card.*'vision'") as info:
        parse_card(tmp_path / "mindspore/1.7/ssd_cn.md")
    assert info.value.rule == "twin" and info.value.path.endswith("ssd_cn.md")
    english.unlink()
    with pytest.raises(CardError, match=r"without its English card: .*ssd\.md does not exist"):
        parse_card(tmp_path / "mindspore/1.7/ssd_cn.md")


def test_last_ckpt_asset(tmp_path):
    text = card_text().replace("asset:\n", "asset:\n\n-\n    file-format: ckpt\n    asset-link: "
                               "<https://download.mindspore.cn/models/first.ckpt>\n    asset-sha256: "
                               + "a" * 64 + "\n\n-\n    file-format: mindir\n    asset-link: "
                               "<https://download.mindspore.cn/models/x.mindir>\n    asset-sha256: " + "b" * 64 + "\n")
    card = parse_card(write(tmp_path, text, "ssd.md"))
    assert [a.file_format for a in card.assets] == ["ckpt", "mindir", "ckpt"]
    assert card.ckpt.file_name == "ssdresnet50fpn_ascend_v170_coco2017_official_cv_acc37.56.ckpt"
