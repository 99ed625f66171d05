"""An image folder that is not here, while the hub follows an eval pipeline: one stand-in image in it.

Some data classes of the zoo list their images themselves and open each one by a path they make: IPT's
``SRData`` globs ``<dir_data>/Set5/HR/*.png`` and opens each file's low-resolution twin,
``LR_bicubic/X2/<name>x2.png``, which it names from the first. With the data absent, such a class lists nothing
and its dataset is empty. So in a run for the pipeline, ``glob.glob`` (and ``iglob``) of image files in a folder
that is not here gives one stand-in file of that folder, named like the pattern (``HR/mshub-stand-in.png``);
and from then on, every image file that is not here which the code reads with imageio, OpenCV or PIL is read
from the stand-in image: a placeholder until ``ZooRows`` writes the image a user gives, so the row the zoo's
class makes is what it would make for that image. A folder that is not here which the code lists itself,
``os.listdir`` (AECR-Net's ``RESIDEDatasetGenerator`` lists ``<dir_data>/Dense/hazy`` and opens each file's
ground truth by a name it makes), lists one stand-in image too, ``mshub-stand-in.png``: without it the listing
raises, so no code that ran before is changed. Only absent paths are redirected, and each is listed among the
run's dataset stand-ins.
"""
from __future__ import annotations

import fnmatch
import glob
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .annotations import placeholder, scratch_folder, write_whole
from .patches import original, substituted

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm", ".pgm")
STAND_IN_STEM = "mshub-stand-in"


@dataclass
class FolderImage:
    """The image every absent image file of a run is read from: a scratch file, named with the suffix of the
    format it holds (readers that choose a decoder by suffix then decode it as it is). ``reading()`` redirects
    the readers to it again later, outside the run (``ZooRows`` reading a row for an image given)."""

    folder: Path
    path: Path
    notes: list = field(default_factory=list)  # where each absent file read is said (the run's dataset stand-ins)
    said: set = field(default_factory=set)

    def write(self, data: bytes, height: int, width: int) -> None:
        """Hold ``data`` (an image file's bytes) from now on."""
        path = self.folder / f"image{_suffix_of(data)}"
        write_whole(path, data)
        if path != self.path:
            self.path.unlink(missing_ok=True)
            self.path = path

    def redirected(self, path):
        """This image's path for an image file that is not here; any other path as it is."""
        if not isinstance(path, (str, os.PathLike)):
            return path
        text = os.fspath(path)
        if isinstance(text, bytes) or os.path.splitext(text)[1].lower() not in IMAGE_SUFFIXES or os.path.exists(text):
            return path
        if text not in self.said:
            self.said.add(text)
            self.notes.append(f"{text!r} is not here: read as the stand-in image")
        return str(self.path)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """While the body runs, in this context, absent image files are read from this image."""
        with substituted(_readers(self.redirected)):
            yield


def _suffix_of(data: bytes) -> str:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as opened:
        kind = (opened.format or "PNG").lower()
    return {"jpeg": ".jpg", "tiff": ".tif"}.get(kind, f".{kind}")


def _new_image(notes: list) -> FolderImage:
    folder = scratch_folder("image-folder-stand-ins")
    placeholder(folder / "image.png", "PNG")
    return FolderImage(folder, folder / "image.png", notes)


def stand_in_listing(pattern: str) -> str | None:
    """The one file ``glob`` gives for ``pattern`` when it lists image files (``*.png``) of a folder that is not
    here (no wildcard before its last part); None otherwise."""
    folder, last = os.path.split(os.fspath(pattern))
    if not last or glob.has_magic(folder) or os.path.isdir(folder or "."):
        return None
    suffix = os.path.splitext(last)[1].lower()
    if suffix not in IMAGE_SUFFIXES or last.count("*") != 1 or glob.has_magic(last.replace("*", "")):
        return None
    name = last.replace("*", STAND_IN_STEM)
    return os.path.join(folder, name) if fnmatch.fnmatch(name, last) else None


def folder_stand_ins(reached) -> list[tuple[object, str, object]]:
    """Substitutions for ``patches.substituted``: ``glob.glob``/``glob.iglob``, ``os.listdir`` and the image
    readers (imageio's, ``cv2.imread``, ``PIL.Image.open``), as described above. ``reached`` notes what was stood in for
    (``datasets``) and takes the run's stand-in image in ``stand_in_images`` (which the next
    ``GeneratorDataset`` takes as its rows' images)."""
    held: list[FolderImage] = []

    def stood_in(call: str, stand_in: str) -> None:
        if not held:
            held.append(_new_image(reached.datasets))
            reached.stand_in_images.append(held[0])
        reached.datasets.append(f"{call}: the folder is not here; one stand-in image, {stand_in!r}")

    def listed(pattern, real, *args, **kwargs):
        stand_in = stand_in_listing(pattern) if isinstance(pattern, (str, os.PathLike)) else None
        if stand_in is None:
            return real(pattern, *args, **kwargs)
        stood_in(f"glob({os.fspath(pattern)!r})", os.path.basename(stand_in))
        return [stand_in]

    def listdir_(path="."):
        if not isinstance(path, (str, os.PathLike)) or isinstance(os.fspath(path), bytes) or os.path.exists(path):
            return real_listdir(path)
        name = STAND_IN_STEM + IMAGE_SUFFIXES[0]
        stood_in(f"os.listdir({os.fspath(path)!r})", name)
        return [name]

    real_glob, real_iglob, real_listdir = original(glob, "glob"), original(glob, "iglob"), original(os, "listdir")

    def glob_(pattern, *args, **kwargs):
        return listed(pattern, real_glob, *args, **kwargs)

    def iglob_(pattern, *args, **kwargs):
        return iter(listed(pattern, real_iglob, *args, **kwargs))

    def redirected(path):  # only once this run stood in for a folder
        return held[0].redirected(path) if held else path

    return [(glob, "glob", glob_), (glob, "iglob", iglob_), (os, "listdir", listdir_)] + _readers(redirected)


def _readers(redirected) -> list[tuple[object, str, object]]:
    """The image readers zoo code uses, each reading the stand-in image for an absent image file."""
    values = []

    def wrap(owner, name):
        real = original(owner, name)
        if not callable(real):
            return

        def read(path, *args, **kwargs):
            return real(redirected(path), *args, **kwargs)

        read.__wrapped__ = real
        values.append((owner, name, read))

    for module in ("imageio", "imageio.v2", "imageio.v3", "cv2"):
        try:
            loaded = __import__(module, fromlist=["_"])
        except ImportError:
            continue
        wrap(loaded, "imread")
    try:
        from PIL import Image
    except ImportError:
        pass
    else:
        wrap(Image, "open")
    return values
