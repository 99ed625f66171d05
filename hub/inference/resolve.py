"""A card's preprocessing, read from the code that builds its network, by route:

- a model zoo card (hub conf, export script or eval script): the dataset pipeline its directory's eval script
  builds for this card, as that script builds it when the card's own variant, config file and dataset are
  chosen (``routes.zoo.eval_pipelines``); the one the script feeds its network, else the last one built;
- ours (the SSD family): ``hub/models/preprocess.py``, this project's copy of the zoo's SSD eval pipeline;
- MindCV: the toolkit's own eval transforms (``mindcv.data.create_transforms``) with the settings of the
  card's config file (``image_resize``, ``crop_pct``, ``interpolation``, ``mean``/``std``), fetched from the
  directory the card's repo-link names.

The pipeline is captured while the network is built shapes-only (nothing is sampled, nothing is kept).
"""
from __future__ import annotations

import threading

from ..cards.record import ModelCard
from ..cards.repo_link import parse_repo_link
from ..errors import HubError, NoImageInputError, PreprocessError
from ..routes import route_of
from ..routes.names import Route
from ..routes.zoo import state
from .pipeline import DECODED, ENCODED, Step, follow
from .preprocess import Preprocess, Source

_CACHE: dict[tuple, Preprocess] = {}  # (uid, options) -> its preprocessing: a card's code is run once per process
_LOCK = threading.Lock()


def card_preprocess(card: ModelCard, kwargs: dict | None = None, network=None, trust_repo: bool = False) -> Preprocess:
    """The card's eval preprocessing (``kwargs``: the options ``load`` takes, which may choose the variant;
    ``network``: a network ``load`` built, whose eval script's pipelines are reused when it recorded them)."""
    kwargs = dict(kwargs or {})
    key = (card.uid, repr(sorted(kwargs.items(), key=lambda item: item[0])))
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    _check_takes_images(card, network)
    route = route_of(card)
    if route is Route.OURS:
        made = _ours(card)
    elif route is Route.TOOLKIT:
        made = _toolkit(card)
    else:
        made = _zoo(card, kwargs, network, trust_repo)
    with _LOCK:
        _CACHE[key] = made
    return made


def forget() -> int:
    """Drop the preprocessings this process keeps."""
    with _LOCK:
        count = len(_CACHE)
        _CACHE.clear()
    return count


state.keeps("preprocessing", forget)


def _check_takes_images(card: ModelCard, network) -> None:
    """``NoImageInputError`` when the inputs the card's export script gives its network hold no image (none is
    N x C x H x W or N x H x W x C with 1 or 3 channels, or a clip of such): a generator's noise, features."""
    from .inputs import LazyInputs

    declared = getattr(network, "example_inputs", None) if network is not None else None
    if isinstance(declared, LazyInputs) or not declared:
        return
    shapes = [tuple(int(d) for d in getattr(x, "shape", ())) for x in declared]
    if any(_image_shaped(shape) for shape in shapes):
        return
    given = ", ".join(f"{getattr(x, 'dtype', type(x).__name__)}{list(shape)}" for x, shape in zip(declared, shapes))
    raise NoImageInputError(f"{card.uid}: its network takes no image: its export script gives it {given} (an image "
                            "is N x C x H x W or N x H x W x C with 1 or 3 channels), so it has no image preprocessing")


def _image_shaped(shape: tuple[int, ...]) -> bool:
    channels = (1, 3)
    if len(shape) == 4:
        return shape[1] in channels or shape[3] in channels
    return len(shape) == 5 and (shape[1] in channels or shape[2] in channels)


def _ours(card: ModelCard) -> Preprocess:
    import inspect

    from mindspore.dataset import vision

    from .. import hubconf
    from ..models import preprocess

    size = getattr(hubconf.entries()[card.stem], "input_size", None) or _ours_size(card)
    made = preprocess.Preprocessor(size)
    where = f"hub/models/preprocess.py:{inspect.getsourcelines(preprocess.Preprocessor.__init__)[1]}"
    steps = [Step(vision.Decode(), where), Step(made.resize, where), Step(made.normalize, where),
             Step(made.to_chw, where)]
    return Preprocess(card.uid, steps, ENCODED, (), Source(str(Route.OURS), "hub/models/preprocess.py",
                                                           "images", where, "hub.models.detect.detect"))


def _ours_size(card: ModelCard) -> int:
    from ..routes import ours

    net = ours.build(card, (), {})
    return int(net.input_size)


def _toolkit(card: ModelCard) -> Preprocess:
    from .toolkit import mindcv_preprocess

    return mindcv_preprocess(card)


def _zoo(card: ModelCard, kwargs: dict, network, trust_repo: bool) -> Preprocess:
    from ..routes.zoo import eval_pipelines

    ref = parse_repo_link(card.repo_link or "")
    recorded = getattr(network, "zoo_eval_pipelines", None) if network is not None else None
    if recorded and any(p.generator and p.rows is None for p in recorded):
        recorded = None  # the build's run stood in for no image: the zoo's data class is read in a run for the pipeline
    if recorded:
        found = eval_pipelines.Found(list(recorded), "eval.py", [], None, str(Route.EVAL))
    else:
        found = eval_pipelines.capture(card, ref, kwargs, trust_repo)  # shapes only
    if not found.pipelines and found.function is not None:
        return _script_function(card, ref, found)
    if not found.pipelines:
        at = found.failed_at()
        why = (f" ({type(found.error).__name__}" + (f" at {at}" if at else "") + f": {str(found.error)[:300]})"
               if found.error is not None else "")
        raise PreprocessError(f"{card.uid}: {found.script} of {ref.directory} builds no MindSpore dataset the hub "
                              f"could follow{why}; its preprocessing is not known here")
    chosen = next((p for p in found.pipelines if p.consumed_at), None)
    candidates = [chosen] if chosen is not None else list(reversed(found.pipelines))
    errors = []
    for pipeline in candidates:
        try:
            followed = follow(pipeline, found.script)
        except PreprocessError as exc:
            errors.append(str(exc))
            continue
        source = Source(found.route, f"{ref.directory}/{found.script}", pipeline.source, pipeline.at,
                        pipeline.consumed_at, found.chosen)
        try:
            made = Preprocess(card.uid, followed.steps, followed.kind, followed.sample_shape, source,
                              followed.decoded_by_code)
            if followed.decoded_by_code:
                _check_decodes(made, followed)
            return made
        except HubError as exc:
            errors.append(str(exc))
    raise PreprocessError(f"{card.uid}: " + "; ".join(errors))


def _check_decodes(made: Preprocess, followed) -> None:
    """A column taken as image files that the zoo's own first step reads (a record's bytes its function decodes,
    rows its data class reads from the files): two synthetic photos of other sizes must give two images that
    differ, else the step reads something else than the file given."""
    import numpy as np

    from .pipeline import SAMPLE_SIDES, sample

    first = made.steps[0]
    try:
        outputs = []
        for side in SAMPLE_SIDES:
            output = np.asarray(made.steps_applied(sample(ENCODED, (), side)))
            if output.ndim < 2:
                raise ValueError(f"a {side[0]}x{side[1]} JPEG file gives shape {output.shape}, not an image")
            outputs.append(output)
        if outputs[0].shape == outputs[1].shape and np.array_equal(outputs[0], outputs[1]):
            raise ValueError("two different JPEG files give the same image")
    except Exception as exc:
        at = f" at {first.at}" if first.at else ""
        raise PreprocessError(f"{followed.pipeline.source}'s column {followed.column!r} was taken as image files (its "
                              f"first step, {first.name}{at}, is the zoo's own code) but that step does not read the "
                              f"file given: {type(exc).__name__}: {str(exc)[:200]}") from None


def _script_function(card: ModelCard, ref, found) -> Preprocess:
    """The eval script's own preprocessing function on the pixels its reader gives (BGR for ``cv2.imread``:
    MindSpore's ConvertColor from the RGB image), checked on two synthetic images here."""
    from mindspore.dataset import vision

    function = found.function
    steps = [Step(function, function.at)]
    if function.reads == "BGR":
        steps.insert(0, Step(vision.ConvertColor(vision.ConvertMode.COLOR_RGB2BGR), function.read_at))
    source = Source(found.route, f"{ref.directory}/{found.script}", f"images read by {function.read_at}",
                    function.read_at, f"{function.hub_name} at {function.at}", found.chosen)
    made = Preprocess(card.uid, steps, DECODED, (), source)
    try:
        made.output()
    except Exception as exc:
        raise PreprocessError(f"{card.uid}: {ref.directory}/{found.script} builds no MindSpore dataset and its own "
                              f"{function.hub_name} (at {function.at}) fails on an image: {type(exc).__name__}: "
                              f"{str(exc)[:300]}") from None
    return made


__all__ = ["DECODED", "ENCODED", "card_preprocess", "forget"]
