# SPDX-License-Identifier: MIT
"""EFI zboot images for the tests, built as the kernel lays them out
(CONFIG_EFI_ZBOOT; drivers/firmware/efi/libstub/zboot-header.S): a PE
image whose DOS header says where the compressed Image is.

    from efi_zboot import zboot
    data = zboot(gzip.compress(image_bytes))

The header ends 4 KiB-aligned, as the kernel's does; a stand-in for the
decompressor's code comes before the payload and data after it, so a
loader that does not honour the offset and the size reads wrong bytes.
"""
import struct

LINUX_PE_MAGIC = 0x818223CD
IMAGE_FILE_MACHINE_ARM64 = 0xAA64
HEADER_END = 0x1000


def zboot(payload, compression="gzip", offset=None, size=None):
    """An EFI zboot image carrying `payload` (already compressed with
    `compression`); offset and size override the header's fields."""
    code = bytes(range(256)) * 16                      # the stub's place
    payload_offset = HEADER_END + len(code)
    header = struct.pack("<I4sII8x", 0x5A4D, b"zimg",
                         payload_offset if offset is None else offset,
                         len(payload) if size is None else size)
    header += compression.encode() + b"\0"
    header = header.ljust(0x38, b"\0")
    header += struct.pack("<II", LINUX_PE_MAGIC, 0x40)
    # The PE signature and COFF header (machine, 2 sections); the rest of
    # the PE headers matter to EFI only.
    header += b"PE\0\0" + struct.pack("<HH", IMAGE_FILE_MACHINE_ARM64, 2)
    header = header.ljust(HEADER_END, b"\0")
    return header + code + payload + b"\xa5" * 4096
