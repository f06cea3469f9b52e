"""Where the signing keys live: the file keystore (PEM files in the data directory).

The keystore hands out :class:`~motorcred.formats.signer.DocumentSigner` objects;
services sign through that port and never touch key files themselves.
"""

from motorcred.adapters.keystore.files import FileKeystore, KeyEntry

__all__ = ["FileKeystore", "KeyEntry"]
