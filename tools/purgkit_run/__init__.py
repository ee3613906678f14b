# SPDX-License-Identifier: MIT
"""The purgkit-run harness: initramfs, Debian kernel, QEMU, console."""

# The release, as VERSION in the top Makefile says it (a test holds the
# two together); printed by purgkit-run --version.
__version__ = "0.1.0"
