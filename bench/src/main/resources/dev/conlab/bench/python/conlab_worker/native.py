"""Work done in C, and the GIL released around it: one computation (CRC-32 of a buffer) through a standard-library C
extension (zlib), through ctypes calling the system's libz, and in pure Python; and image resizing with Pillow."""

import random
import zlib

from .base import Unsupported, Workload, check, needs


def crc_buffer(kib):
    return random.Random(20261207).randbytes(kib * 1024) if hasattr(random.Random, "randbytes") \
        else bytes(random.Random(20261207).getrandbits(8) for _ in range(kib * 1024))


class Crc(Workload):
    """Task i: CRC-32 of one shared buffer, `passes` times over, starting from i (so every task has its own answer)."""
    cpu_bound = True
    formula = "T₁ ÷ min(tasks, P)"
    expected = {}

    def __init__(self, params, processors):
        super().__init__(params, processors)
        self.buffer = crc_buffer(params["kib"])

    def task_count(self):
        return self.p["tasks"]

    def task(self, i):
        crc = i
        for _ in range(self.p["passes"]):
            crc = self.crc32(self.buffer, crc)
        return crc

    def validate(self, results):
        check(len(results) == self.p["tasks"], "expected %d checksums" % self.p["tasks"])
        for i, value in enumerate(results):
            key = (self.p["kib"], self.p["passes"], i)
            if key not in Crc.expected:
                crc = i
                for _ in range(self.p["passes"]):
                    crc = zlib.crc32(self.buffer, crc)  # zlib's own answer is the reference for all three ways
                Crc.expected[key] = crc
            check(value == Crc.expected[key], "task %d's CRC-32 is %08x, zlib says %08x" % (i, value, Crc.expected[key]))

    def ideal(self, k, t1_unit):
        return t1_unit / min(self.p["tasks"], self.processors)


class CrcZlib(Crc):
    """zlib.crc32: CPython's zlib module releases the GIL for buffers over 5 KiB."""

    def crc32(self, data, crc):
        return zlib.crc32(data, crc)


class CrcCtypes(Crc):
    """crc32() of the system's libz through ctypes.CDLL, which releases the GIL for the length of every foreign call."""

    def __init__(self, params, processors):
        super().__init__(params, processors)
        import ctypes
        import ctypes.util
        name = ctypes.util.find_library("z") or "libz.so.1"
        try:
            self.lib = ctypes.CDLL(name)
        except OSError as e:
            raise Unsupported("needs the system's zlib (%s) for ctypes to call: %s (Debian: apt install zlib1g)" % (name, e))
        self.lib.crc32.argtypes = (ctypes.c_ulong, ctypes.c_char_p, ctypes.c_uint)
        self.lib.crc32.restype = ctypes.c_ulong

    def crc32(self, data, crc):
        return self.lib.crc32(crc, data, len(data))


def _table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (0xEDB88320 ^ (c >> 1)) if c & 1 else (c >> 1)
        table.append(c)
    return table


CRC_TABLE = _table()


class CrcPython(Crc):
    """The same CRC-32, table-driven, in pure Python: it holds the GIL throughout."""

    def crc32(self, data, crc):
        table = CRC_TABLE
        crc ^= 0xFFFFFFFF
        for b in data:
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
        return crc ^ 0xFFFFFFFF


class ImageResize(Workload):
    """The JVM's image-resize on Pillow: the same generated RGB images, each downscaled with Image.resize(BILINEAR), which
    releases the GIL while it resamples. Results checked against the same resize done once, alone."""
    cpu_bound = True
    formula = "T₁ ÷ min(images, P)"
    expected = {}

    def __init__(self, params, processors):
        super().__init__(params, processors)
        needs("PIL", "Pillow")
        self.images = [self.generate(i) for i in range(params["images"])]

    def generate(self, index):
        from PIL import Image
        w, h = self.p["width"], self.p["height"]
        try:
            import numpy
        except ImportError:
            numpy = None
        if numpy is not None:
            x = numpy.arange(w, dtype=numpy.int64)[None, :]
            y = numpy.arange(h, dtype=numpy.int64)[:, None]
            r = numpy.broadcast_to((x * 255 // w + index * 37) & 0xFF, (h, w))
            g = numpy.broadcast_to((y * 255 // h + index * 91) & 0xFF, (h, w))
            b = ((x ^ y) + index * 13) & 0xFF
            return Image.fromarray(numpy.stack([r, g, b], axis=-1).astype(numpy.uint8), "RGB")
        pixels = bytearray(w * h * 3)  # the same pixels without numpy, slowly (untimed)
        for yy in range(h):
            for xx in range(w):
                o = (yy * w + xx) * 3
                pixels[o] = (xx * 255 // w + index * 37) & 0xFF
                pixels[o + 1] = (yy * 255 // h + index * 91) & 0xFF
                pixels[o + 2] = ((xx ^ yy) + index * 13) & 0xFF
        return Image.frombytes("RGB", (w, h), bytes(pixels))

    def task_count(self):
        return self.p["images"]

    def task(self, i):
        from PIL import Image
        resample = getattr(Image, "Resampling", Image).BILINEAR
        return self.images[i].resize((self.p["outWidth"], self.p["outHeight"]), resample).tobytes()

    def validate(self, results):
        ow, oh = self.p["outWidth"], self.p["outHeight"]
        check(len(results) == self.p["images"], "expected %d images" % self.p["images"])
        for i, pixels in enumerate(results):
            check(isinstance(pixels, bytes) and len(pixels) == ow * oh * 3, "image %d is not %d×%d RGB" % (i, ow, oh))
            key = tuple(sorted(self.p.items())) + (i,)
            if key not in ImageResize.expected:
                ImageResize.expected[key] = zlib.crc32(self.task(i))
            check(zlib.crc32(pixels) == ImageResize.expected[key], "image %d has other pixels than the same resize done alone" % i)

    def ideal(self, k, t1_unit):
        return t1_unit / min(self.p["images"], self.processors)
