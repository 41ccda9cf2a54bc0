"""The Qt binding must not leak or drop references on signal delivery.

PySide6 6.12.0 dropped one reference to True for every bool signal delivered
to a Python slot; after a long session CPython aborted with
"bool_dealloc: deallocating True or False".
"""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    toggled = Signal(bool)


def test_bool_signal_keeps_reference_count(qapp):
    emitter = _Emitter()
    received = []
    emitter.toggled.connect(received.append)
    before = sys.getrefcount(True)

    for _ in range(200):
        emitter.toggled.emit(True)

    assert len(received) == 200
    # The list holds 200 references; a binding that drops one per delivery
    # leaves the count near ``before`` instead.
    gained = sys.getrefcount(True) - before
    assert gained >= 200
