# SPDX-License-Identifier: MIT
"""The purgkit-run harness: initramfs, Debian kernel, QEMU, console."""
