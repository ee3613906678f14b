# SPDX-License-Identifier: MIT
"""A writer for the newc cpio format, the one the Linux initramfs unpacks.

Each member is a 110-byte ASCII header ("070701", then thirteen 8-digit
hexadecimal fields), the NUL-terminated name, padding to a multiple of four,
the data, padding to a multiple of four.  The archive ends with a member
named "TRAILER!!!".  See the kernel's Documentation/driver-api/early-userspace/
buffer-format.rst.
"""

import gzip
import io
import stat

NEWC_MAGIC = b"070701"
TRAILER = "TRAILER!!!"


def _pad4(length):
    return b"\0" * ((4 - length % 4) % 4)


class CpioWriter:
    """Build a newc archive in memory.

    Directories are created implicitly for every member's parents, so
    ``add_file("bin/x", ...)`` is enough.  Names are relative ("bin/x"), as
    the kernel expects; a leading "/" is stripped.  Adding the same name twice
    is an error.
    """

    def __init__(self):
        self._out = io.BytesIO()
        self._names = set()
        self._inode = 1
        self._closed = False

    def _header(self, name, mode, size, nlink):
        encoded = name.encode() + b"\0"
        fields = (self._inode, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0,
                  len(encoded), 0)
        self._inode += 1
        header = NEWC_MAGIC + b"".join(b"%08X" % f for f in fields)
        self._out.write(header + encoded + _pad4(len(header) + len(encoded)))

    def _claim(self, name):
        name = name.strip("/")
        if not name or name in self._names:
            raise ValueError(f"cpio: bad or duplicate member name {name!r}")
        if self._closed:
            raise ValueError("cpio: archive already finished")
        parent = name.rpartition("/")[0]
        if parent and parent not in self._names:
            self.add_directory(parent)
        self._names.add(name)
        return name

    def add_directory(self, name, mode=0o755):
        """Add a directory (and its missing parents)."""
        name = self._claim(name)
        self._header(name, stat.S_IFDIR | mode, 0, 2)

    def add_file(self, name, data: bytes, mode=0o644):
        """Add a regular file holding ``data``."""
        name = self._claim(name)
        self._header(name, stat.S_IFREG | mode, len(data), 1)
        self._out.write(data + _pad4(len(data)))

    def add_symlink(self, name, target):
        """Add a symbolic link ``name`` -> ``target``."""
        name = self._claim(name)
        data = target.encode()
        self._header(name, stat.S_IFLNK | 0o777, len(data), 1)
        self._out.write(data + _pad4(len(data)))

    def add_device(self, name, kind, major, minor, mode=0o600):
        """Add a device node; ``kind`` is "c" or "b"."""
        name = self._claim(name)
        fmt = stat.S_IFCHR if kind == "c" else stat.S_IFBLK
        encoded = name.encode() + b"\0"
        fields = (self._inode, fmt | mode, 0, 0, 1, 0, 0, 0, 0, major, minor,
                  len(encoded), 0)
        self._inode += 1
        header = NEWC_MAGIC + b"".join(b"%08X" % f for f in fields)
        self._out.write(header + encoded + _pad4(len(header) + len(encoded)))

    def finish(self, compress=False) -> bytes:
        """End the archive and return its bytes (gzip'ed if ``compress``)."""
        if not self._closed:
            self._header(TRAILER, 0, 0, 1)
            self._closed = True
        data = self._out.getvalue()
        return gzip.compress(data, compresslevel=1) if compress else data
