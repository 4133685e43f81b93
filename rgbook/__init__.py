"""rgbook: the numerics behind an executable book on Gong & Xia's FCDNN-RG correspondence.

Modules are named after the physics: :mod:`~rgbook.ising` (the 1D Ising chain),
:mod:`~rgbook.rg` (RG maps and fixed points), :mod:`~rgbook.couplings` (coupling
estimation), :mod:`~rgbook.claims` (the claims registry), :mod:`~rgbook.evidence` (how each
claim is measured) and :mod:`~rgbook.figures` (figure files with provenance).
"""

__version__ = "0.1.0"
