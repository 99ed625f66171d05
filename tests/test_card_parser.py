"""Cards -> typed records, and every kind of bad card -> one clear error naming file, field, line."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_CARD

from hub.card_parser import parse_card, parse_evaluation
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


def test_samples_parse_or_are_rejected_for_the_hubs_reason(shared):
    cards = sample_cards(shared)
    assert len(cards) == 30
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
    assert len(accepted) == 24


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
    """The seed card's text with fields replaced (value None removes the field)."""
    lines = SEED_CARD.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        key = line.split(":", 1)[0].strip()
        if key in changes and ":" in line:
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


@pytest.mark.parametrize("changes,field,words", [
    ({"license": None}, "license", "required field is missing"),
    ({"summary": ""}, "summary", "required field is empty"),
    ({"asset-sha256": "1234abcd"}, "asset.asset-sha256", "not 64 hexadecimal digits"),
    ({"module-type": "vision"}, "module-type", "'vision' is not one of"),
    ({"module-type": "cv-detection-extra"}, "module-type", "more than one '-'"),
    ({"used-for": "inference/training"}, "used-for", "'training' is not one of"),
    ({"fine-tunable": "maybe"}, "fine-tunable", "must be a boolean"),
    ({"file-format": "pth"}, "asset.file-format", "'pth' is not one of"),
    ({"train-dataset": "coco2017_mydata"}, "train-dataset", "unknown dataset 'mydata'"),
    ({"summary": '"ssd: a detector"'}, "summary", "contains ':'"),
    ({"repo-link": "<ftp://example.com/x>"}, "repo-link", "not an http(s) URL"),
])
def test_bad_fields_give_one_clear_error(tmp_path, changes, field, words):
    path = write(tmp_path, card_text(**changes))
    with pytest.raises(CardError) as info:
        parse_card(path)
    assert info.value.field == field
    assert words in str(info.value)
    assert str(path) in str(info.value)


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
    with pytest.raises(CardError, match="no front matter"):
        parse_card(path)


def test_unclosed_front_matter(tmp_path):
    path = write(tmp_path, "# ssd\n---\nbackbone-name: ssd\n")
    with pytest.raises(CardError, match="not closed") as info:
        parse_card(path)
    assert info.value.line == 2


def test_duplicate_field(tmp_path):
    text = card_text().replace("license: Apache2.0", "license: Apache2.0\n\nlicense: MIT")
    with pytest.raises(CardError, match="appears twice") as info:
        parse_card(write(tmp_path, text))
    assert info.value.field == "license"


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


def test_chinese_twin_and_last_ckpt_asset(tmp_path):
    text = card_text().replace("asset:\n", "asset:\n\n-\n    file-format: ckpt\n    asset-link: "
                               "<https://download.mindspore.cn/models/first.ckpt>\n    asset-sha256: "
                               + "a" * 64 + "\n\n-\n    file-format: mindir\n    asset-link: "
                               "<https://download.mindspore.cn/models/x.mindir>\n    asset-sha256: " + "b" * 64 + "\n")
    card = parse_card(write(tmp_path, text, "ssd_cn.md"))
    assert card.language == "zh" and card.uid == "mindspore/1.7/ssd"
    assert [a.file_format for a in card.assets] == ["ckpt", "mindir", "ckpt"]
    assert card.ckpt.file_name == "ssdresnet50fpn_ascend_v170_coco2017_official_cv_acc37.56.ckpt"
