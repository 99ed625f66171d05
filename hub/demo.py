"""``python -m hub demo``: the whole real path on a machine with no internet.

It generates a checkpoint for the SSD network, serves it from a local mirror on 127.0.0.1, points
``MSHUB_ENDPOINT`` at the mirror and ``MSHUB_CATALOG`` at a card carrying that file's sha256, then
runs ``mindspore_hub.load`` (progress bar, checksum, cache, strict load) and a detection, twice:
the second run is served from the cache. Without these overrides the same ``load`` call fetches the
published checkpoint from download.mindspore.cn.
"""
from __future__ import annotations

import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from . import settings
from .catalog.catalog import bundled_catalog
from .fetch.assets import file_sha256
from .fetch.mirror import Mirror

DEMO_UID = "mindspore/1.7/ssdresnet50fpn_coco2017"


def sample_image(path: Path) -> Path:
    """A 480x640 picture of simple shapes (the demo needs an image; any will do)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (110, 150, 200))
    pen = ImageDraw.Draw(image)
    pen.rectangle([0, 330, 640, 480], fill=(90, 140, 70))
    pen.rectangle([120, 200, 300, 360], fill=(180, 40, 40))
    pen.ellipse([380, 120, 560, 300], fill=(240, 210, 60))
    pen.rectangle([420, 300, 520, 420], fill=(60, 60, 60))
    image.save(path)
    return path


def write_checkpoint(path: Path) -> None:
    """Weights for the demo: the freshly initialised network, saved as a MindSpore checkpoint."""
    import mindspore as ms

    from . import hubconf

    net = hubconf.ssdresnet50fpn_coco2017(pretrained=False)
    ms.save_checkpoint(net, str(path))


def write_card(catalog: Path, sha256: str) -> Path:
    """The bundled card with the generated file's sha256, in a catalog that overrides the bundled one."""
    source = bundled_catalog().joinpath(*DEMO_UID.split("/")).with_suffix(".md")
    text = re.sub(r"asset-sha256: [0-9a-fA-F]{64}", f"asset-sha256: {sha256}",
                  source.read_text(encoding="utf-8"))
    target = catalog.joinpath(*DEMO_UID.split("/")).with_suffix(".md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


@contextmanager
def environment(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def stage(work: Path) -> tuple[Path, Path]:
    """Put a generated checkpoint where the mirror serves the card's asset path and write the card
    that carries its sha256. Returns (checkpoint, card); the mirror root is ``work/mirror``."""
    from .catalog.catalog import Catalog

    asset = Catalog([bundled_catalog()]).get(DEMO_UID).ckpt
    served = work / "mirror" / urlsplit(asset.url).path.lstrip("/")
    served.parent.mkdir(parents=True, exist_ok=True)
    if not served.exists():
        write_checkpoint(served)
    return served, write_card(work / "catalog", file_sha256(served))


def mirror_environment(work: Path, mirror: Mirror):
    """MSHUB_ENDPOINT at the mirror, MSHUB_CATALOG at the staged card, MSHUB_HOME in ``work``."""
    return environment(**{settings.ENDPOINT_ENV: mirror.url, settings.CATALOG_ENV: str(work / "catalog"),
                          settings.HOME_ENV: str(work / "cache")})


DEFAULT_OUT = "mshub-demo-annotated.png"


def run_demo(runs: int = 2, workdir: str | None = None, image: str | None = None,
             out: str | None = None) -> int:
    """Stage, serve and load ``runs`` times; the annotated image goes to ``out`` (default: the current
    directory), never into the temporary work directory that is removed at the end."""
    import mindspore as ms

    import mindspore_hub as mshub

    from .models.detect import detect, draw_detections

    target = Path(out or DEFAULT_OUT).expanduser().absolute()
    if not target.parent.is_dir():
        raise FileNotFoundError(f"--out {out}: folder {target.parent} does not exist")
    ms.set_context(mode=ms.GRAPH_MODE)  # as the card's usage section sets it
    temp = None if workdir else tempfile.TemporaryDirectory(prefix="mshub-demo-")
    work = Path(workdir or temp.name)
    try:
        start = time.perf_counter()
        served, card = stage(work)
        print(f"[demo] checkpoint {served.name}: {served.stat().st_size:,} bytes "
              f"({time.perf_counter() - start:.1f} s), card with its sha256: {card}")
        print("[demo] the weights are generated (freshly initialised, not the published checkpoint): "
              "the path is real, the boxes are noise")
        picture = Path(image) if image else sample_image(work / "sample.png")
        with Mirror(work / "mirror") as mirror, mirror_environment(work, mirror):
            print(f"[demo] mirror {mirror.url}, cache {work / 'cache'}")
            for run in range(1, runs + 1):
                before = len(mirror.requests)
                t0 = time.perf_counter()
                net = mshub.load(DEMO_UID)
                t1 = time.perf_counter()
                detections = detect(net, [picture])[0]
                t2 = time.perf_counter()
                fetched = len(mirror.requests) - before
                print(f"[demo] run {run}: mshub.load {t1 - t0:.2f} s "
                      f"({'downloaded' if fetched else 'from cache'}, {fetched} HTTP requests), "
                      f"detection {t2 - t1:.2f} s (includes graph compilation on a new network), "
                      f"{len(detections)} boxes, best: "
                      + (", ".join(f"{d.category_name} {d.score:.2f}" for d in detections[:3]) or "none"))
            draw_detections(picture, detections[:10]).save(target)
            print(f"[demo] annotated image: {target}")
        return 0
    finally:
        if temp is not None:
            temp.cleanup()
