"""What happens in the catalogue that other modules may want to hear about (blinker, synchronous).

``searched``: an orderer searched (the first page of a query, as logged for the quality report).
Sender: the ``User``; keyword arguments ``query`` (str) and ``results`` (int, 0 for a zero-result
search). The training lab counts searches and zero-result searches of a running exercise with it.
"""
from __future__ import annotations

from typing import Final

from blinker import Namespace

catalogue_signals = Namespace()

searched: Final = catalogue_signals.signal("catalogue-searched", doc="An orderer searched the catalogue.")
