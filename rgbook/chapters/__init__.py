r"""One module per code chapter of the book.

Each module ``rgbook.chapters.<name>`` belongs to the chapter ``book/<name>.md`` and holds,
so that a reader goes from a claim id to its code in one hop:

``CHAPTER``
    The book document, e.g. ``"book/reading_a"``.
``Protocol`` and ``PROTOCOL``
    The chapter's protocol (sizes, couplings, restarts, steps, seeds) as a frozen dataclass,
    and the instance the book runs. ``Protocol.smoke()`` returns a small variant that the test
    suite runs in seconds.
run functions
    Pure functions of a protocol returning typed results (frozen dataclasses); those that
    train or sample are memoized on the (hashable) protocol, so the claim check and the
    figures of a chapter share one run.
plot functions
    Draw a figure of the chapter from run results on given axes.
``FIGURES``
    The labels of the chapter's numbered figures.
``CLAIMS``
    The chapter's claims (:class:`rgbook.claims.Claim`); each holds its tolerances as numbers
    and a measure ``measure(protocol, tol) -> list[Row]``.

:func:`rgbook.claims.registry` collects ``CLAIMS`` from the modules below, in book order.
"""

#: Chapter modules in book order (``rgbook.chapters.<name>`` belongs to ``book/<name>.md``).
CHAPTER_MODULES = (
    "ising_rg",
    "fc_kernel",
    "literal_limit",
    "reading_a",
    "reading_b",
    "reading_c",
    "expfam_rg",
    "chain_rg",
    "momentum_shell",
    "feature_layers",
    "nonlinear_features",
    "ising2d_critical",
    "ising2d_exponents",
)

#: A chapter that continues another and reuses its trained maps: it may import that chapter's module (and is
#: then re-executed when that module changes, as it should be); no other chapter imports another.
COMPANIONS: dict[str, tuple[str, ...]] = {"ising2d_exponents": ("ising2d_critical",)}
