"""Build zip archives field by field, so tests can forge any size, method, flag or header."""

import struct
import zlib


def entries_of(blob):
    """[(name, data)] of a valid stored archive (as nn.save writes), in file order."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def member(name, data, **fields):
    """One member: ``data`` is stored as given; every header field can be overridden:
    method, crc, usize, csize, flags (the directory record) and l_method, l_crc, l_usize, l_csize,
    l_flags, local_name (the local header, which otherwise holds the true values)."""
    m = {"name": name.encode("utf-8"), "data": data, "method": 0, "crc": zlib.crc32(data), "flags": 0}
    m["usize"] = m["csize"] = len(data)
    for key in ("method", "usize", "csize", "flags", "crc"):
        m["l_" + key] = m[key]  # the local header tells the truth unless told otherwise
    m["local_name"] = m["name"]
    m.update(fields)
    return m


def deflated(name, head, chunk, repeats):
    """A member whose data is ``head + chunk * repeats``, deflated: a real zip bomb when
    ``chunk`` is zeros (the chunk is compressed once, after a full flush, and repeated)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)  # no back-references across
    data = first + block * repeats + comp.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    fields = {"method": 8, "crc": crc, "usize": len(head) + len(chunk) * repeats, "csize": len(data)}
    return member(name, data, **fields, **{"l_" + k: v for k, v in fields.items()})


def _sizes(usize, csize, offset=None):
    """(32-bit fields, zip64 extra) for the sizes (and offset) of one header."""
    values = [usize, csize] + ([] if offset is None else [offset])
    big = [v for v in values if v >= 0xFFFFFFFF]
    fields = [0xFFFFFFFF if v >= 0xFFFFFFFF else v for v in values]
    extra = struct.pack(f"<HH{len(big)}Q", 1, 8 * len(big), *big) if big else b""
    return fields, extra


def build(members, gap=b"", comment=b"", count=None, cd_size=None, cd_offset=None):
    """The archive's bytes; ``gap`` is junk inserted after the first member's data."""
    out = bytearray()
    offsets = []
    for i, m in enumerate(members):
        offsets.append(len(out))
        (lu, lc), lextra = _sizes(m["l_usize"], m["l_csize"])
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 45, m["l_flags"], m["l_method"], 0, 33, m["l_crc"], lc, lu,
            len(m["local_name"]), len(lextra),
        )  # fmt: skip
        out += m["local_name"] + lextra + m["data"]
        if i == 0:
            out += gap
    start = len(out)
    for m, offset in zip(members, offsets):
        (u, c, o), extra = _sizes(m["usize"], m["csize"], offset)
        out += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 45, 45, m["flags"], m["method"], 0, 33, m["crc"], c, u,
            len(m["name"]), len(extra), 0, 0, 0, 0, o,
        )  # fmt: skip
        out += m["name"] + extra
    size = len(out) - start
    n = len(members) if count is None else count
    out += struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
        size if cd_size is None else cd_size, start if cd_offset is None else cd_offset, len(comment),
    )  # fmt: skip
    return bytes(out + comment)


def npy_header(descr="<f8", shape=(3,), fortran=False, version=(1, 0), raw=None):
    """A ``.npy`` header; ``raw`` replaces the dictionary text with anything."""
    text = raw if raw is not None else repr({"descr": descr, "fortran_order": fortran, "shape": shape})
    body = text.encode("latin1") + b"\n"
    if version == (1, 0):
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(body)) + body
    return b"\x93NUMPY" + bytes(version) + struct.pack("<I", len(body)) + body
