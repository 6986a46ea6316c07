"""Transports for outgoing EHF messages. The default drops the file in a folder
(instance/outbox/), written atomically so a reader never sees half a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from webshop.orders.models import OrderDocument


def deliver(document: OrderDocument, outbox_dir: str) -> str:
    """Write ``document`` to ``outbox_dir`` as <message id>-<filename>; return the path.

    The stable message id in the name makes a repeated delivery overwrite the
    same file instead of creating a second order at the supplier.
    """
    folder = Path(outbox_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{document.filename.removesuffix('.xml')}-{document.message_id}.xml"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".partial-", suffix=".xml")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(document.xml)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return str(target)
