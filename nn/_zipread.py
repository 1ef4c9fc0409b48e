"""A strict reader for the archives ``nn.save`` writes: one disk, stored (uncompressed) entries
laid end to end, no encryption, no data descriptors, no comments.

Everything is checked against the file's real size before any entry is read: the end records,
the central directory (at most ``MAX_ENTRIES`` entries, names of at most ``MAX_NAME_BYTES``)
and every local header, which must agree with its directory record (method, flags, CRC, sizes,
name). The entries must tile the file from offset 0 up to the directory, so the declared sizes
add up to at most the file's size: nothing is inflated, and nothing hides between entries.
Data is then read into the caller's buffer (no intermediate copy) and its CRC-32 checked.

>>> import io, zipfile
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w") as zf:
...     zf.writestr("a.npy", b"hello")
>>> f = io.BytesIO(buf.getvalue())
>>> [(e.name, e.size) for e in read_directory(f, len(buf.getvalue()))]
[('a.npy', 5)]
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Any, List

MAX_ENTRIES = 10_000
MAX_NAME_BYTES = 1024
_MAX_EXTRA = 256  # zipfile writes at most a 20-byte zip64 field; room for a timestamp or two

_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")
_UTF8_FLAG = 0x800
_U32 = 0xFFFFFFFF


class ZipFormatError(Exception):
    """The archive is not one ``nn.save`` could have written (the message says why)."""


@dataclass(frozen=True)
class Entry:
    """One member: its name, where its data starts, its size and CRC-32."""

    name: str
    offset: int
    size: int
    crc: int


def read_bytes(f: Any, offset: int, n: int) -> bytes:
    """Exactly ``n`` bytes of ``f`` from ``offset`` (ZipFormatError at the end of the file)."""
    data = bytearray(n)
    read_into(f, offset, memoryview(data))
    return bytes(data)


def _zip64_fields(extra: bytes, wanted: List[int], where: str) -> List[int]:
    """Replace each 0xFFFFFFFF in ``wanted`` by the next 8-byte value of the zip64 extra field."""
    pos, found = 0, None
    while pos < len(extra):
        if pos + 4 > len(extra):
            raise ZipFormatError(f"{where}: malformed extra field")
        tag, size = struct.unpack_from("<HH", extra, pos)
        if pos + 4 + size > len(extra):
            raise ZipFormatError(f"{where}: an extra field overruns its header")
        if tag == 1:
            if found is not None:
                raise ZipFormatError(f"{where}: two zip64 extra fields")
            found = extra[pos + 4 : pos + 4 + size]
        pos += 4 + size
    need = sum(1 for v in wanted if v == _U32)
    if need == 0:
        return wanted
    if found is None or len(found) < 8 * need:
        raise ZipFormatError(f"{where}: sizes marked zip64 but no zip64 extra field holds them")
    values = iter(struct.unpack_from(f"<{need}Q", found))
    return [next(values) if v == _U32 else v for v in wanted]


def _decode_name(raw: bytes, flags: int, where: str) -> str:
    try:
        return raw.decode("utf-8") if flags & _UTF8_FLAG else raw.decode("cp437")
    except UnicodeDecodeError:
        raise ZipFormatError(f"{where}: member name is not valid UTF-8") from None


def _end_records(f: Any, file_size: int) -> tuple:
    """(entry count, directory size, directory offset, where the end records start)."""
    if file_size < _EOCD.size:
        raise ZipFormatError(f"{file_size} bytes is too small for a zip archive")
    end = file_size - _EOCD.size
    sig, disk, cd_disk, n_here, n_total, cd_size, cd_offset, comment = _EOCD.unpack(
        read_bytes(f, end, _EOCD.size)
    )
    if sig != b"PK\x05\x06":
        raise ZipFormatError("no end-of-archive record at the end of the file (truncated, or not a zip)")
    if comment:
        raise ZipFormatError("the archive has a comment; nn.save writes none")
    records_start = end
    if end >= _ZIP64_LOCATOR.size and read_bytes(f, end - _ZIP64_LOCATOR.size, 4) == b"PK\x06\x07":
        loc = end - _ZIP64_LOCATOR.size
        _, z_disk, z_offset, n_disks = _ZIP64_LOCATOR.unpack(read_bytes(f, loc, _ZIP64_LOCATOR.size))
        if z_disk != 0 or n_disks != 1 or z_offset + _ZIP64_EOCD.size != loc:
            raise ZipFormatError("malformed zip64 end-of-archive locator")
        fields = _ZIP64_EOCD.unpack(read_bytes(f, z_offset, _ZIP64_EOCD.size))
        sig, record_size, _, _, disk, cd_disk, n_here, n_total, cd_size, cd_offset = fields
        if sig != b"PK\x06\x06" or record_size != _ZIP64_EOCD.size - 12:
            raise ZipFormatError("malformed zip64 end-of-archive record")
        records_start = z_offset
    if disk != 0 or cd_disk != 0 or n_here != n_total:
        raise ZipFormatError("a multi-disk archive")
    if not 1 <= n_total <= MAX_ENTRIES:
        raise ZipFormatError(f"the archive declares {n_total} entries (at most {MAX_ENTRIES} are read)")
    if cd_offset + cd_size != records_start:
        raise ZipFormatError(
            f"the central directory (offset {cd_offset}, {cd_size} bytes) does not end where the "
            f"end records start ({records_start})"
        )
    if cd_size > n_total * (_CENTRAL.size + MAX_NAME_BYTES + _MAX_EXTRA):
        raise ZipFormatError(f"the central directory declares {cd_size} bytes for {n_total} entries")
    return n_total, cd_size, cd_offset, records_start


def read_directory(f: Any, file_size: int) -> List[Entry]:
    """Every entry of the archive in ``f`` (a seekable binary file of ``file_size`` bytes), in
    file order, after checking the whole structure; raises ``ZipFormatError``."""
    n_total, cd_size, cd_offset, _ = _end_records(f, file_size)
    directory = read_bytes(f, cd_offset, cd_size)
    records = []
    pos = 0
    for i in range(n_total):
        where = f"directory record {i}"
        if pos + _CENTRAL.size > cd_size:
            raise ZipFormatError(f"{where}: the central directory is shorter than its entry count")
        (
            sig,
            _,
            _,
            flags,
            method,
            _,
            _,
            crc,
            csize,
            usize,
            n_name,
            n_extra,
            n_comment,
            disk,
            _,
            _,
            offset,
        ) = _CENTRAL.unpack_from(directory, pos)
        if sig != b"PK\x01\x02":
            raise ZipFormatError(f"{where}: bad signature")
        if not 1 <= n_name <= MAX_NAME_BYTES or n_extra > _MAX_EXTRA or n_comment:
            raise ZipFormatError(
                f"{where}: name of {n_name} bytes, extra of {n_extra}, comment of {n_comment}"
            )
        start = pos + _CENTRAL.size
        if start + n_name + n_extra > cd_size:
            raise ZipFormatError(f"{where}: overruns the central directory")
        raw_name = directory[start : start + n_name]
        extra = directory[start + n_name : start + n_name + n_extra]
        pos = start + n_name + n_extra
        name = _decode_name(raw_name, flags, where)
        where = f"entry {name!r}"
        if flags & ~_UTF8_FLAG:
            raise ZipFormatError(
                f"{where}: flags {flags:#06x} (encryption, data descriptor...): nn.save sets none"
            )
        if method != 0:
            raise ZipFormatError(
                f"{where} is compressed (method {method}); nn.save writes only stored entries, "
                "so compressed ones are refused (they could inflate without bound)"
            )
        usize, csize, offset = _zip64_fields(extra, [usize, csize, offset], where)
        if disk != 0:
            raise ZipFormatError(f"{where}: on disk {disk}")
        if usize != csize:
            raise ZipFormatError(
                f"{where}: stored, but its size {usize} differs from its stored size {csize}"
            )
        records.append((offset, raw_name, name, flags, crc, usize))
    if pos != cd_size:
        raise ZipFormatError(f"the central directory has {cd_size - pos} bytes beyond its {n_total} records")
    records.sort()
    entries = []
    expected = 0
    for offset, raw_name, name, flags, crc, size in records:
        where = f"entry {name!r}"
        if offset != expected:
            raise ZipFormatError(
                f"{where} starts at {offset}, expected {expected}: entries overlap or leave gaps"
            )
        if offset + _LOCAL.size > cd_offset:
            raise ZipFormatError(f"{where}: its local header overruns the central directory")
        sig, _, l_flags, l_method, _, _, l_crc, l_csize, l_usize, n_name, n_extra = _LOCAL.unpack(
            read_bytes(f, offset, _LOCAL.size)
        )
        if sig != b"PK\x03\x04":
            raise ZipFormatError(f"{where}: bad local header signature")
        if n_name != len(raw_name) or n_extra > _MAX_EXTRA:
            raise ZipFormatError(
                f"{where}: the local header's name or extra size disagrees with the directory"
            )
        data = offset + _LOCAL.size + n_name + n_extra
        if data > cd_offset:
            raise ZipFormatError(f"{where}: its local header overruns the central directory")
        tail = read_bytes(f, offset + _LOCAL.size, n_name + n_extra)
        l_usize, l_csize = _zip64_fields(tail[n_name:], [l_usize, l_csize], where)
        if (tail[:n_name], l_flags, l_method, l_crc, l_usize, l_csize) != (
            raw_name,
            flags,
            0,
            crc,
            size,
            size,
        ):
            raise ZipFormatError(
                f"{where}: the local header (method {l_method}, crc {l_crc:#x}, sizes {l_usize}/{l_csize}) "
                f"disagrees with the directory (stored, crc {crc:#x}, size {size})"
            )
        expected = data + size
        if expected > cd_offset:
            raise ZipFormatError(f"{where}: declares {size} bytes, more than the file holds")
        entries.append(Entry(name, data, size, crc))
    if expected != cd_offset:
        raise ZipFormatError(f"{cd_offset - expected} unaccounted bytes before the central directory")
    return entries


def read_into(f: Any, offset: int, buffer: memoryview, crc: int = 0) -> int:
    """Fill ``buffer`` (a writable byte view) from ``offset``; the running CRC-32 of what was read."""
    f.seek(offset)
    done = 0
    while done < len(buffer):
        n = f.readinto(buffer[done:])
        if not n:
            raise ZipFormatError(f"unexpected end of file at offset {offset + done}")
        done += n
    return zlib.crc32(buffer, crc)
