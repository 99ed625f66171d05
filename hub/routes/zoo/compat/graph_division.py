"""``/`` in a zoo network's ``construct`` divides two ints as MindSpore 1.x graphs did: to an int.

1.x compiled ``construct`` in GRAPH mode, where ``scalar_div`` of two ints gave an int (the quotient
truncated toward zero), and zoo code relies on it: ALBERT indexes its layer groups with
``layer_idx / num_layers * num_groups``, EAST sizes ``ResizeBilinear`` with ``height / 16``, CenterNet
reshapes by ``w / 2``. Called in PYNATIVE mode today, Python divides them to floats, and CellList,
Reshape and ResizeBilinear refuse those. So the ``construct`` of each class of 1.x code (a release
``written_for_1x``) gets its code recompiled with ``a / b`` as ``graph_div(a, b)``: ints give 1.x's int,
anything else (tensors, floats) divides as before. The code object keeps the file and line numbers of the
original, so ``inspect.getsource`` (and with it MindSpore's GRAPH-mode compiler) still reads the zoo's own
source; only Python's execution changes.
"""
from __future__ import annotations

import ast
import dis
import inspect
import re
import textwrap
import types

DIV_NAME = "__mshub_graph_div__"  # the name the recompiled construct calls, set in its globals
NOTE = "1.x graph division: in construct, / of two ints gives an int (truncated), as 1.x graphs did"


def written_for_1x(release: str) -> bool:
    """Whether code of this release (``r1.10``, ``v1.3``...) was written for 1.x graphs; ``master`` and 2.x
    releases were written for 2.x, whose graphs divide two ints to a float as Python does."""
    return re.match(r"^[rv]?[01]\.\d", release or "") is not None


def graph_div(x, y):
    """``x / y`` as a 1.x graph computed it: two ints (not bools) give the quotient truncated toward zero."""
    if type(x) is int and type(y) is int:
        from .supplied import note_used

        note_used(NOTE)
        if y == 0:
            raise ZeroDivisionError("division by zero")
        quotient = abs(x) // abs(y)
        return quotient if (x < 0) == (y < 0) else -quotient
    return x / y


class _Divisions(ast.NodeTransformer):
    """``a / b`` -> ``graph_div(a, b)``; ``name /= b`` -> ``name = graph_div(name, b)``."""

    def __init__(self) -> None:
        self.changed = False

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.op, ast.Div):
            return node
        self.changed = True
        call = ast.Call(ast.Name(DIV_NAME, ast.Load()), [node.left, node.right], [])
        return ast.copy_location(call, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.op, ast.Div) or not isinstance(node.target, ast.Name):
            return node
        self.changed = True
        call = ast.Call(ast.Name(DIV_NAME, ast.Load()), [ast.Name(node.target.id, ast.Load()), node.value], [])
        return ast.copy_location(ast.Assign([node.target], ast.copy_location(call, node)), node)


def as_in_1x_graphs(cls: type) -> bool:
    """Recompile ``cls.construct`` (defined by ``cls`` itself) with 1.x graph division; True when it divides
    anything. A construct whose source cannot be read or recompiled is left as it is."""
    function = vars(cls).get("construct")
    if not isinstance(function, types.FunctionType) or DIV_NAME in function.__code__.co_names \
            or not _divides(function.__code__):  # its bytecode says, without reading the source
        return False
    try:
        lines, first = inspect.getsourcelines(function)
    except (OSError, TypeError):
        return False
    code = _recompiled(textwrap.dedent("".join(lines)), function, first)
    if code is None:
        return False
    function.__globals__.setdefault(DIV_NAME, graph_div)
    function.__code__ = code
    return True


def _divides(code: types.CodeType) -> bool:
    """Whether ``code`` (or a function nested in it) has a true division, ``/`` or ``/=``."""
    for instruction in dis.get_instructions(code):
        if instruction.opname in ("BINARY_TRUE_DIVIDE", "INPLACE_TRUE_DIVIDE") or \
                instruction.opname == "BINARY_OP" and instruction.argrepr in ("/", "/="):
            return True
    return any(_divides(const) for const in code.co_consts if isinstance(const, types.CodeType))


def _recompiled(source: str, function: types.FunctionType, first: int) -> types.CodeType | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    definition = tree.body[0] if tree.body else None
    if not isinstance(definition, ast.FunctionDef):
        return None
    definition.decorator_list = []  # the function object is kept, decorated as it was
    divisions = _Divisions()
    divisions.visit(definition)
    if not divisions.changed:
        return None
    ast.increment_lineno(tree, first - 1)
    old = function.__code__
    if old.co_freevars:  # a closure (super() without arguments): compile it as one, cell for cell
        tree = _in_closure(tree, old.co_freevars)
    ast.fix_missing_locations(tree)
    try:
        module = compile(tree, old.co_filename, "exec")
    except (SyntaxError, ValueError):
        return None
    code = _function_code(module, old.co_name)
    if code is None or code.co_freevars != old.co_freevars:
        return None
    return code.replace(co_qualname=old.co_qualname)


def _in_closure(tree: ast.Module, names: tuple[str, ...]) -> ast.Module:
    """``def _(): <names> = None; <def>``: the function compiled as a closure over the same names."""
    outer = ast.FunctionDef("_mshub_closure", ast.arguments([], [], None, [], [], None, []),
                            [ast.Assign([ast.Name(n, ast.Store())], ast.Constant(None)) for n in names] + tree.body,
                            [], None)
    ast.copy_location(outer, tree.body[0])
    return ast.Module([outer], [])


def _function_code(code: types.CodeType, name: str) -> types.CodeType | None:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_name == name:
                return const
            found = _function_code(const, name)
            if found is not None:
                return found
    return None
