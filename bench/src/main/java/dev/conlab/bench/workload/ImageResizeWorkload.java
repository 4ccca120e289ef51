package dev.conlab.bench.workload;

import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Scaling;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.util.Arrays;
import java.util.List;

/**
 * Downscale K generated ARGB images with bilinear interpolation: the Pillow case. Each task resizes one
 * image and returns the new pixels; a {@code processes} child builds the images of the tasks it is given
 * and sends the resized pixels back.
 */
public final class ImageResizeWorkload implements Workload {

    @Override
    public String id() {
        return "image-resize";
    }

    @Override
    public String summary() {
        return "Downscale K generated images with bilinear interpolation, one task per image (the Pillow case).";
    }

    @Override
    public int displayOrder() {
        return 60;
    }

    @Override
    public Scaling scaling(int processors) {
        return new Scaling(java.util.Map.of(), "images", "1.." + 4 * processors + "x2");
    }

    @Override
    public boolean cpuBound() {
        return true;
    }

    @Override
    public boolean idealUsesOneThreadTime() {
        return true;
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.integer("images", "Number of images K", 4, 16, 16, 1, 10_000).as(Param.Role.WORK_AND_CONCURRENCY),
                Param.integer("width", "Source width, px", 1920, 3840, 1920, 2, 16_384),
                Param.integer("height", "Source height, px", 1080, 2160, 1080, 2, 16_384),
                Param.integer("outWidth", "Target width, px", 640, 1920, 640, 1, 16_384),
                Param.integer("outHeight", "Target height, px", 360, 1080, 360, 1, 16_384));
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) {
        var instance = new Instance(params.intValue("images"), params.intValue("width"), params.intValue("height"),
                params.intValue("outWidth"), params.intValue("outHeight"));
        if (!env.child()) {
            for (int i = 0; i < instance.sources.length; i++) instance.source(i);
        }
        return instance;
    }

    static int[] generate(int index, int width, int height) {
        int[] pixels = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + index * 37) & 0xff;
                int g = (y * 255 / height + index * 91) & 0xff;
                int b = ((x ^ y) + index * 13) & 0xff;
                pixels[y * width + x] = 0xff000000 | r << 16 | g << 8 | b;
            }
        }
        return pixels;
    }

    static int[] resize(int[] src, int w, int h, int ow, int oh) {
        int[] out = new int[ow * oh];
        float sx = (float) w / ow;
        float sy = (float) h / oh;
        for (int y = 0; y < oh; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            float dy = fy - y0;
            for (int x = 0; x < ow; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                float dx = fx - x0;
                int p00 = src[y0 * w + x0], p01 = src[y0 * w + x1], p10 = src[y1 * w + x0], p11 = src[y1 * w + x1];
                int argb = 0xff000000;
                for (int shift = 0; shift <= 16; shift += 8) {
                    float top = ((p00 >> shift) & 0xff) * (1 - dx) + ((p01 >> shift) & 0xff) * dx;
                    float bottom = ((p10 >> shift) & 0xff) * (1 - dx) + ((p11 >> shift) & 0xff) * dx;
                    argb |= ((int) (top * (1 - dy) + bottom * dy + 0.5f) & 0xff) << shift;
                }
                out[y * ow + x] = argb;
            }
        }
        return out;
    }

    private static final class Instance implements WorkloadInstance {
        private final int[][] sources;
        private final int width;
        private final int height;
        private final int outWidth;
        private final int outHeight;
        private long[] expectedHashes;

        Instance(int images, int width, int height, int outWidth, int outHeight) {
            this.sources = new int[images][];
            this.width = width;
            this.height = height;
            this.outWidth = outWidth;
            this.outHeight = outHeight;
        }

        synchronized int[] source(int i) {
            if (sources[i] == null) sources[i] = generate(i, width, height);
            return sources[i];
        }

        @Override
        public int taskCount() {
            return sources.length;
        }

        @Override
        public Object runTask(int i) {
            return resize(source(i), width, height, outWidth, outHeight);
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            WrongResultException.check(results.size() == sources.length, "expected " + sources.length + " images");
            if (expectedHashes == null) {
                expectedHashes = new long[sources.length];
                for (int i = 0; i < sources.length; i++) {
                    expectedHashes[i] = Arrays.hashCode(resize(source(i), width, height, outWidth, outHeight));
                }
            }
            for (int i = 0; i < sources.length; i++) {
                WrongResultException.check(results.get(i) instanceof int[] px && px.length == outWidth * outHeight,
                        "image " + i + " is not " + outWidth + "×" + outHeight);
                WrongResultException.check(Arrays.hashCode((int[]) results.get(i)) == expectedHashes[i],
                        "image " + i + " has wrong pixels");
            }
        }

        @Override
        public long idealNanos(IdealContext context) {
            return context.oneThreadNanos().getAsLong() / Math.min(sources.length, context.processors());
        }

        @Override
        public String idealFormula() {
            return "T₁ ÷ min(images, P)";
        }
    }
}
