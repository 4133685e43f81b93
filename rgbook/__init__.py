"""rgbook: the numerics behind an executable book on Gong & Xia's FCDNN-RG correspondence.

The physics core is named after the physics: :mod:`~rgbook.ising` (the 1D Ising chain),
:mod:`~rgbook.expfam` (exponential families), :mod:`~rgbook.rg` (RG maps, block-sum maps and
fixed points) and :mod:`~rgbook.couplings` (coupling estimation); :mod:`~rgbook.training`
holds the one training loop. Each code chapter of the book has one module in
:mod:`rgbook.chapters` (protocol, run functions, figures and claims);
:mod:`~rgbook.claims` is the claims framework and :mod:`~rgbook.figures` writes figure files
with provenance. ``python -m rgbook show CLAIM`` goes from a claim id to its code.
"""

__version__ = "0.1.0"
