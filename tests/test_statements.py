r"""Claim statements write no protocol number by hand (project issue #22, item 3).

A statement template reads every protocol number as a ``{protocol.NAME}`` field (rendered by
:meth:`rgbook.claims.Claim.render`), every tolerance as a ``{name}`` field, and writes by hand
only the numbers of physics or mathematics, which the claim lists in ``Claim.constants``.

(a) *Numbers follow the protocol*: every int and float of the claim's protocol (recursively
    through nested dataclasses and tuples) is replaced by a distinctive sentinel; every
    ``{protocol.…}`` field whose rendering holds a digit must then render differently, and the
    statement must show the new rendering. A field that counts a tuple (``len(seeds)``) keeps its
    value under that replacement; it must change when every tuple is also one element longer.

(b) *No hand-written protocol number*: the template's literal text (outside ``{…}`` fields,
    ``{{``/``}}`` read as braces) is scanned for number tokens, and each must be allowed by the
    claim's ``constants``. Tokenisation:

    * a number token is an integer, a decimal, a number in scientific notation or a fraction of
      two such numbers, without sign: ``8``, ``0.45``, ``1e-8``, ``15/8``;
    * it must not continue a name: a token directly after a letter, a digit, ``_`` or ``.``
      is no token (``phi4``, ``II.N2``, ``x10``), and subscripts are names, not numbers: the
      digits of ``_2`` or ``_(n+1)`` (``K_2``, ``R_2``, ``theta_4``, ``x_(i+1)``) are skipped;
    * exponents are tokens (``x^4`` and ``b^2`` hold the token ``4`` and ``2``), and so are
      numbers followed by letters (``1D`` holds ``1``);
    * number words ("ten", "two") are not scanned.

    A token is allowed when the claim's ``constants`` hold it as a bare number (then it may
    appear anywhere in the statement), or hold a longer string that contains it and occurs in
    the template at that place (a number in context: ``"b^2"``, ``"1D"``, ``"95%"``,
    ``"exp(-2K)"``), so a constant in context does not license the bare number elsewhere.
    Every constant must occur in the template's literal text (no stale entries).

(c) A concrete case: changing the number of restarts of reading A changes the text of I.A1.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import string

import pytest

from rgbook import claims
from rgbook.claims import ProtocolView

#: A number token: integer, decimal or scientific, optionally a fraction; not continuing a name.
_NUMBER = r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
NUMBER_TOKEN = re.compile(rf"(?<![\w.]){_NUMBER}(?:/{_NUMBER})?")
#: A subscript: ``_`` and an index, ``K_2``, ``x_(i+1)``; its digits name a quantity.
SUBSCRIPT = re.compile(r"_(?:\([^()]*\)|[A-Za-z0-9]+)")


def literal_segments(template: str) -> list[str]:
    """The literal text between the fields of a format template (``{{`` and ``}}`` read as braces)."""
    return [literal for literal, _, _, _ in string.Formatter().parse(template) if literal]


def field_expressions(template: str) -> list[tuple[str, str]]:
    """The ``(field name, format spec)`` of every ``{protocol.…}`` field of a template."""
    return [
        (name, spec or "")
        for _, name, spec, _ in string.Formatter().parse(template)
        if name and name.split(".")[0].split("[")[0] == "protocol"
    ]


def number_tokens(segment: str) -> list[re.Match]:
    """The number tokens of one literal segment (see the module docstring), subscripts skipped."""
    subscripts = [m.span() for m in SUBSCRIPT.finditer(segment)]
    return [m for m in NUMBER_TOKEN.finditer(segment) if not any(start <= m.start() < end for start, end in subscripts)]


def unlicensed_numbers(template: str, constants: tuple[str, ...]) -> list[str]:
    """Number tokens of the template's literal text that ``constants`` does not allow, in context."""
    bare = {c for c in constants if NUMBER_TOKEN.fullmatch(c)}
    in_context = [c for c in constants if c not in bare]
    bad = []
    for segment in literal_segments(template):
        covers = [(m.start(), m.end()) for c in in_context for m in re.finditer(re.escape(c), segment)]
        for token in number_tokens(segment):
            if token.group() in bare:
                continue
            if any(start <= token.start() and token.end() <= end for start, end in covers):
                continue
            lo, hi = max(0, token.start() - 20), token.end() + 20
            bad.append(f"{token.group()!r} in ...{segment[lo:hi]}...")
    return bad


def render_field(name: str, spec: str, protocol) -> str:
    """One ``{protocol.…}`` field rendered for ``protocol``, as :meth:`Claim.render` renders it."""
    return ("{" + name + (":" + spec if spec else "") + "}").format(protocol=ProtocolView(protocol))


def perturbed(value, sentinels, lengthen: bool = False):
    """``value`` with every int and float (not bool) replaced by the next sentinel, recursively; with
    ``lengthen``, every non-empty tuple also gets a copy of its last (perturbed) element."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: perturbed(getattr(value, f.name), sentinels, lengthen) for f in dataclasses.fields(value) if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        items = tuple(perturbed(v, sentinels, lengthen) for v in value)
        return items + items[-1:] if lengthen else items
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return next(sentinels.ints)
    if isinstance(value, float):
        return next(sentinels.floats)
    return value


def _primes(start: int):
    return (n for n in itertools.count(start) if all(n % d for d in range(2, int(n**0.5) + 1)))


class Sentinels:
    """Distinctive numbers no protocol of the book uses: ints are primes from 101 (small enough for
    powers and products), floats primes over 10000 from 0.1009 (positive and, for the first few
    hundred, below 1/2, so that couplings and ratios stay in their domains)."""

    def __init__(self) -> None:
        self.ints = _primes(101)
        self.floats = (p / 10_000 for p in _primes(1009))


def test_protocol_numbers_follow_the_protocol(claim):
    """(a) With every number of the protocol replaced by a sentinel, every protocol field changes."""
    fields = field_expressions(claim.statement)
    other = perturbed(claim.protocol, Sentinels())
    assert other != claim.protocol
    text = claim.render(other)
    longer = None
    module_constants = set(getattr(type(claim.protocol), "MODULE_CONSTANTS", ()))
    for name, spec in fields:
        if name.removeprefix("protocol.").split(".")[0].split("[")[0] in module_constants:
            continue  # reads a module constant of the method, shared by code and statement
        before, after = render_field(name, spec, claim.protocol), render_field(name, spec, other)
        assert after in text, f"{claim.id}: {{{name}}} renders {after!r}, not in the statement"
        if any(ch.isdigit() for ch in before) and after == before:
            longer = longer or perturbed(claim.protocol, Sentinels(), lengthen=True)
            after = render_field(name, spec, longer)
            assert after != before, f"{claim.id}: {{{name}}} renders {before!r} whatever the protocol's numbers"


def test_statement_writes_no_protocol_number_by_hand(claim):
    """(b) Every number written in the template is a physics/maths constant the claim lists."""
    bad = unlicensed_numbers(claim.statement, claim.constants)
    assert not bad, (
        f"{claim.id}: numbers written by hand that are not in Claim.constants (a protocol number "
        f"must be a {{protocol.NAME}} field): {bad}"
    )
    literal = "".join(literal_segments(claim.statement))
    stale = [c for c in claim.constants if c not in literal]
    assert not stale, f"{claim.id}: constants {stale} do not occur in the statement"
    assert len(set(claim.constants)) == len(claim.constants), f"{claim.id}: duplicate constants"


def test_statement_renders_for_the_smoke_protocol(claim):
    """The statement renders for the chapter's smoke protocol too (its properties accept any protocol)."""
    assert claim.render(claim.protocol.smoke())


def test_changing_the_restarts_changes_the_statement():
    """(c) I.A1 says how many restarts the trained layer is the best of: the protocol's number."""
    claim = claims.get("I.A1")
    restarts = claim.protocol.restarts
    assert f"best of {restarts} restarts" in claim.text
    other = dataclasses.replace(claim.protocol, restarts=restarts + 5)
    assert f"best of {restarts + 5} restarts" in claim.render(other)
    assert claim.render(other) != claim.text


@pytest.mark.parametrize(
    "template,constants,bad",
    [
        ("the best of 12 restarts", (), ["12"]),
        ("the best of {protocol.n_restarts} restarts", (), []),
        ("K_2 = R_2(K), x_(i+1), phi4, II.N2", (), []),
        ("eigenvalue b^2 = 4", ("b^2",), ["4"]),
        ("eigenvalue b^2 = 4, 2 seeds", ("b^2", "4"), ["2"]),
        ("nu = 15/8 and 1e-8, 0.45", ("15/8",), ["1e-8", "0.45"]),
        ("in {{0.5, 1}} and 1D", ("1D",), ["0.5", "1"]),
    ],
)
def test_tokenisation(template, constants, bad):
    """The scan of (b) on small templates: subscripts and names are skipped, constants in context."""
    assert [b.split("'")[1] for b in unlicensed_numbers(template, constants)] == bad
