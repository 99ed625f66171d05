"""How an export script's inference wrapper calls the network a hub conf builds.

A zoo directory's hub conf often returns the bare network (``Faster_Rcnn(config)``, ``YOLOv3(is_training=True)``)
while its export script exports a wrapper around the same network (``FasterRcnn_Infer``, ``YOLOv3Inference``)
whose ``construct`` fills in what the bare network's signature also asks for: ground truth it ignores in eval mode
(``self.network(img_data, img_metas, None, None, None)``) or a shape it keeps (``self.network(x,
self.input_shape)``). The bare network's example inputs are the wrapper's, passed on as that one call passes
them: read from the wrapper's ``construct`` source, each argument one of its parameters, a constant or an
attribute of the wrapper. Anything else (an expression, ``*args``, keywords) is not followed.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WrappedCall:
    """The one call ``wrapper.construct`` makes to its child cell ``attribute``: each argument is
    ``("input", i)`` (the wrapper's i-th construct parameter), or ``("value", v)`` (a constant or an attribute
    of the wrapper, as it held it)."""

    wrapper: str
    attribute: str
    where: str
    arguments: tuple[tuple[str, object], ...]
    defaults: tuple[object, ...]  # the wrapper's construct parameters' defaults (inspect.Parameter.empty: none)

    def inputs(self, wrapper_inputs: tuple) -> tuple:
        """The child's inputs for the wrapper's ``wrapper_inputs``."""
        values = []
        for kind, value in self.arguments:
            if kind == "value":
                values.append(value)
            elif value < len(wrapper_inputs):
                values.append(wrapper_inputs[value])
            else:  # a parameter the export left at its default (FasterRcnn_Infer's img_metas=None)
                values.append(self.defaults[value])
        return tuple(values)

    def child(self, wrapper):
        """The cell the wrapper calls."""
        return getattr(wrapper, self.attribute)

    def describe(self) -> str:
        return f"as {self.wrapper}.construct ({self.where}) calls self.{self.attribute}"


def wrapped_call(wrapper, network, directory: Path) -> WrappedCall | None:
    """How ``wrapper`` (an export script's network, of the zoo code in ``directory``) calls its one child of
    ``network``'s class; None when it has no such child, or calls it other than once, or with arguments this
    does not follow."""
    from ..routes.zoo.sandbox.namespace import zoo_module_name

    def same_class(cell) -> bool:  # the two were built by two runs of the directory: modules imported twice
        return (type(cell).__qualname__ == type(network).__qualname__
                and zoo_module_name(type(cell).__module__) == zoo_module_name(type(network).__module__))

    children = [name for name, cell in wrapper.name_cells().items() if same_class(cell)]
    if len(children) != 1 or same_class(wrapper):
        return None
    attribute = children[0]
    construct = type(wrapper).construct
    try:
        source = textwrap.dedent(inspect.getsource(construct))
        tree = ast.parse(source)
        path, first = inspect.getsourcefile(construct), inspect.getsourcelines(construct)[1]
    except (OSError, TypeError, SyntaxError):
        return None
    function = tree.body[0]
    if not isinstance(function, ast.FunctionDef) or function.args.vararg or function.args.kwonlyargs:
        return None
    parameters = [a.arg for a in function.args.args][1:]  # without self
    calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute) and node.func.attr == attribute
             and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"]
    if len(calls) != 1 or calls[0].keywords:
        return None
    arguments = []
    for argument in calls[0].args:
        if isinstance(argument, ast.Name) and argument.id in parameters:
            arguments.append(("input", parameters.index(argument.id)))
        elif isinstance(argument, ast.Constant):
            arguments.append(("value", argument.value))
        elif (isinstance(argument, ast.Attribute) and isinstance(argument.value, ast.Name)
              and argument.value.id == "self" and hasattr(wrapper, argument.attr)):
            arguments.append(("value", _as_graph_constant(getattr(wrapper, argument.attr))))
        else:
            return None
    signature = inspect.signature(construct)
    defaults = tuple(p.default for p in list(signature.parameters.values())[1:])
    where = f"{_relative(path, directory)}:{first + calls[0].lineno - 1}"
    return WrappedCall(type(wrapper).__name__, attribute, where, tuple(arguments), defaults)


def _as_graph_constant(value):
    """A list or tuple of numbers kept on the wrapper as a tensor, as a graph-mode ``construct`` takes such a
    constant where the callee divides a tensor by it (YOLO's input shape); other values as they are."""
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        from mindspore import Tensor

        return Tensor(value)
    return value


def _relative(path: str | None, directory: Path) -> str:
    """The file as the zoo directory names it (``src/FasterRcnn/faster_rcnn.py``), not the cache's path."""
    if not path:
        return "?"
    file, root = Path(path).resolve(), directory.resolve()
    return file.relative_to(root).as_posix() if file.is_relative_to(root) else file.name
