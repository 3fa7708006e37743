#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (fuzz/corpus/<target>/), a few small valid and invalid
inputs each. Valid index files come from the project's own writer (`shrewd index build`); the other
formats are simple enough to write here exactly as their readers document them. No numpy needed;
the JPEG seeds need Debian's python3-pil (skipped without it).

    fuzz/make_corpus.py [path/to/shrewd]     (default: build/src/shrewd/cli/shrewd)
"""
import gzip, io, json, os, pathlib, shutil, struct, subprocess, sys, tempfile, zlib

root = pathlib.Path(__file__).resolve().parent
corpus = root / "corpus"
shrewd = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else root.parent / "build/src/shrewd/cli/shrewd")


def put(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def npy(descr, shape, payload, version=1):
    shape_text = "(" + "".join(f"{s}, " if len(shape) == 1 else f"{s}, " for s in shape)
    shape_text = shape_text[:-2] + ("," if len(shape) == 1 else "") + ")" if shape else "()"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    prefix = 10 if version == 1 else 12
    pad = (64 - (prefix + len(header) + 1) % 64) % 64
    header = header + " " * pad + "\n"
    size = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode("latin1") + payload


def rows(n, width, seed):
    out, x = bytearray(), seed
    for _ in range(n * width):
        x = (x * 6364136223846793005 + 1442695040888963407) % 2**64
        out.append(x >> 56)
    return bytes(out)


def png(width, height, channels, pixels):
    colour_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    stride = width * channels
    raw = b"".join(b"\x00" + pixels[y * stride:(y + 1) * stride] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg(width, height, pixels, mode, **options):
    try:
        from PIL import Image
    except ImportError:
        return None
    out = io.BytesIO()
    Image.frombytes(mode, (width, height), pixels).save(out, "JPEG", quality=90, **options)
    return out.getvalue()


def main():
    shutil.rmtree(corpus, ignore_errors=True)
    packed = rows(6, 8, 1)
    # npy_fuzz
    put("npy_fuzz", "uint8-6x8.npy", npy("|u1", [6, 8], packed))
    put("npy_fuzz", "float32-3x2.npy", npy("<f4", [3, 2], struct.pack("<6f", 0.5, -1, 2, 3.25, 0, 1e-3)))
    put("npy_fuzz", "int64-4.npy", npy("<i8", [4], struct.pack("<4q", 0, 1, 2, 9)))
    put("npy_fuzz", "uint64-2-v2.npy", npy("<u8", [2], struct.pack("<2Q", 1, 2**63), version=2))
    put("npy_fuzz", "bool-0d.npy", npy("|b1", [], b"\x01"))
    put("npy_fuzz", "truncated.npy", npy("<i4", [1000], b"\x00" * 16))
    put("npy_fuzz", "negative-shape.npy", npy("|u1", [-5, 8], packed[:40]))
    put("npy_fuzz", "not-a-dict.npy", b"\x93NUMPY\x01\x00\x10\x00[1, 2, 3]      \n")
    # code_npy_fuzz: first byte = layout (0 detect, 1 packed, 2 unpacked)
    put("code_npy_fuzz", "detect-packed-6x64", b"\x00" + npy("|u1", [6, 8], packed))
    put("code_npy_fuzz", "packed-6x64", b"\x01" + npy("|u1", [6, 8], packed))
    put("code_npy_fuzz", "unpacked-2x16", b"\x02" + npy("|u1", [2, 16], bytes(b & 1 for b in rows(2, 16, 3))))
    put("code_npy_fuzz", "bool-2x8", b"\x00" + npy("|b1", [2, 8], bytes(b & 1 for b in rows(2, 8, 4))))
    put("code_npy_fuzz", "int8-2x8", b"\x00" + npy("|i1", [2, 8], bytes((1 if b & 1 else 255) for b in rows(2, 8, 5))))
    put("code_npy_fuzz", "float32-1x8", b"\x00" + npy("<f4", [1, 8], struct.pack("<8f", 1, -1, 0, 2, -3, 4, -5, 0.5)))
    put("code_npy_fuzz", "ambiguous-2x8", b"\x00" + npy("|u1", [2, 8], bytes(b & 1 for b in rows(2, 8, 6))))
    # index_file_fuzz: first byte bit 0 set = skip the checksum
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "c64.npy").write_bytes(npy("|u1", [20, 8], rows(20, 8, 7)))
        (tmp / "c24.npy").write_bytes(npy("|u1", [12, 3], rows(12, 3, 8)))
        (tmp / "ids.npy").write_bytes(npy("<i8", [12], struct.pack("<12q", *range(100, 112))))
        builds = {"flat-64": ["--codes", tmp / "c64.npy"],
                  "mih-64": ["--codes", tmp / "c64.npy", "--mih", "--substrings", "2"],
                  "ids-24": ["--codes", tmp / "c24.npy", "--ids", tmp / "ids.npy", "--packed"]}
        for name, args in builds.items():
            subprocess.run([shrewd, "index", "build", *map(str, args), "--out", str(tmp / "i.shx")], check=True,
                           stdout=subprocess.DEVNULL)
            data = (tmp / "i.shx").read_bytes()
            put("index_file_fuzz", name + ".shx", b"\x00" + data)
            put("index_file_fuzz", name + "-nocrc.shx", b"\x01" + data)
        put("index_file_fuzz", "header-only.shx", b"\x01" + data[:128])
    # hierarchy_fuzz and class_list_fuzz: the shipped Fashion-MNIST files and small hand-made ones
    shipped = root.parent / "data/hierarchies/fashion-mnist"
    put("hierarchy_fuzz", "fashion-mnist.txt", (shipped / "hierarchy.txt").read_bytes())
    put("hierarchy_fuzz", "dag.txt", "# child parent\nanimal entity\nthing entity\ndog animal\ncat animal\nrobodog dog\nrobodog thing\n")
    put("hierarchy_fuzz", "cycle.txt", "a b\nb c\nc a\n")
    put("hierarchy_fuzz", "binary.txt", b"a\x00b\xff\n")
    put("class_list_fuzz", "fashion-mnist.txt", (shipped / "classes.txt").read_bytes())
    put("class_list_fuzz", "small.txt", "# classes\ncat\ndog\n\ncar\n")
    put("class_list_fuzz", "duplicate.txt", "cat\ncat\n")
    # wordnet_fuzz: u16 length of data.noun, data.noun, index.noun (the format of tests/semantics)
    def wordnet(synsets):
        head = "  " + "x" * 1737 + "\n"
        lines, offsets, pos = [], {}, len(head)
        def line(lemma, parents, off):
            text = "%08u 03 n 01 %s 0 %03u" % (off, lemma, len(parents))
            for p in parents:
                text += " @ %08u n 0000" % offsets.get(p, 0)
            return text + " | the gloss of " + lemma + "  \n"
        for lemma, parents in synsets:
            offsets[lemma] = pos
            pos += len(line(lemma, parents, pos))
        data = head + "".join(line(l, p, offsets[l]) for l, p in synsets)
        index = "  index header line\n" + "".join("%s n 1 0 1 0 %08u  \n" % (l, offsets[l]) for l, _ in synsets)
        return struct.pack("<H", len(data)) + data.encode() + index.encode()
    put("wordnet_fuzz", "three-synsets", wordnet([("entity", []), ("animal", ["entity"]), ("dog", ["animal"])]))
    put("wordnet_fuzz", "one-synset", wordnet([("entity", [])]))
    put("wordnet_fuzz", "empty", b"\x00\x00")
    # idx_fuzz: first byte bit 0 = labels, bit 1 = check 10 classes
    images = struct.pack(">IIII", 0x803, 2, 3, 3) + bytes(range(18))
    labels = struct.pack(">II", 0x801, 3) + bytes([0, 9, 4])
    put("idx_fuzz", "images-2x3x3", b"\x00" + images)
    put("idx_fuzz", "images-gzip", b"\x00" + gzip.compress(images, mtime=0))
    put("idx_fuzz", "labels-3", b"\x03" + labels)
    put("idx_fuzz", "labels-gzip", b"\x01" + gzip.compress(labels, mtime=0))
    put("idx_fuzz", "labels-truncated", b"\x01" + labels[:9])
    # cifar_fuzz: first byte = 0 CIFAR-10, 1 CIFAR-100 fine, 2 coarse; records of label byte(s) + 3072
    put("cifar_fuzz", "cifar10-2", b"\x00" + bytes([3]) + rows(1, 3072, 9) + bytes([7]) + rows(1, 3072, 10))
    put("cifar_fuzz", "cifar100-1", b"\x01" + bytes([4, 42]) + rows(1, 3072, 11))
    put("cifar_fuzz", "cifar100-coarse-1", b"\x02" + bytes([19, 99]) + rows(1, 3072, 12))
    put("cifar_fuzz", "partial-record", b"\x00" + bytes([1]) + rows(1, 100, 13))
    # caption_manifest_fuzz: u16 length of the TSV, TSV, embeddings .npy
    def manifest(tsv, emb):
        return struct.pack("<H", len(tsv)) + tsv.encode() + emb
    emb = npy("<f4", [2, 4], struct.pack("<8f", *[0.1 * i for i in range(8)]))
    put("caption_manifest_fuzz", "two-items", manifest("# image\tcaption\na.png\ta cat\nsub/b.jpg\ta dog on grass\n", emb))
    put("caption_manifest_fuzz", "count-mismatch", manifest("a.png\ta cat\n", emb))
    put("caption_manifest_fuzz", "labels", manifest("0\n3\n9\n", b""))
    # shard_protocol_fuzz: byte 0 = decoder (0 codes, 1 knn, 2 radius), byte 1 = parameter
    put("shard_protocol_fuzz", "codes-64", b"\x00\x08" + rows(3, 8, 14))
    put("shard_protocol_fuzz", "codes-24-padding", b"\x00\x03" + rows(1, 8, 15))
    q, k = 2, 3
    knn = struct.pack("<QQ", q, k) + struct.pack("<6q", 5, 1, -1, 2, 3, 4) + struct.pack("<6i", 0, 2, -1, 1, 1, 9)
    put("shard_protocol_fuzz", "knn-2x3", b"\x01" + bytes([q | k << 4]) + knn)
    radius = struct.pack("<QQ", 2, 3) + struct.pack("<3q", 0, 1, 3) + struct.pack("<3q", 7, 8, 9) + struct.pack("<3i", 0, 1, 2)
    put("shard_protocol_fuzz", "radius-2", b"\x02\x02" + radius)
    put("shard_protocol_fuzz", "radius-truncated", b"\x02\x02" + radius[:30])
    # image_file_fuzz: byte 0 = preprocessing (fuzz/image_file_fuzz.cpp), then the file
    grey, colour = rows(6, 5, 21), rows(6, 5 * 3, 22)
    put("image_file_fuzz", "png-grey", b"\x00" + png(5, 6, 1, grey))
    put("image_file_fuzz", "png-rgba-resize-centre", b"\x0e" + png(4, 3, 4, rows(3, 16, 23)))
    put("image_file_fuzz", "png-rgb-random-flip-pad", b"\xf2" + png(5, 6, 3, colour))
    put("image_file_fuzz", "png-truncated", b"\x00" + png(5, 6, 3, colour)[:60])
    for name, prefix, data in [("jpeg-rgb", b"\x00", jpeg(5, 6, colour, "RGB")),
                               ("jpeg-grey-centre", b"\x0d", jpeg(5, 6, grey, "L")),
                               ("jpeg-progressive-random", b"\xdb", jpeg(5, 6, colour, "RGB", progressive=True))]:
        if data is not None:
            put("image_file_fuzz", name, prefix + data)
    put("image_file_fuzz", "not-an-image", b"\x00hello")
    # run_config_fuzz: u16 length of one --set assignment, the assignment, the config file
    def config(assignment, text):
        return struct.pack("<H", len(assignment)) + assignment.encode() + text.encode()
    put("run_config_fuzz", "defaults", config("", "{}"))
    put("run_config_fuzz", "demo", config("train.epochs=3", json.dumps({
        "data": {"format": "fashion-mnist", "workers": 2}, "model": {"backbone": "cnn", "bits": 32},
        "loss": {"method": "shrewd", "w_kl": 0.01}, "optim": {"lr": 0.002, "schedule": "step"}})))
    put("run_config_fuzz", "preprocessing", config("preprocessing.normalize=auto", json.dumps({
        "data": {"format": "image-folder", "path": "images"},
        "preprocessing": {"channels": 3, "resize": 64, "crop": "random", "crop_size": 56, "flip": True}})))
    put("run_config_fuzz", "fixed-normalization", config("", json.dumps({
        "preprocessing": {"normalize": "fixed", "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.2, 0.2]}})))
    put("run_config_fuzz", "comments-and-bad-key", config("loss.nope=1", "// a comment\n{\"train\": {\"seed\": 7}}"))
    put("run_config_fuzz", "wrong-type", config("model.bits=\"many\"", "{\"optim\": {\"lr\": \"fast\"}}"))
    put("run_config_fuzz", "moved-key", config("", "{\"train\": {\"lr\": 0.1}}"))
    # plot_spec_fuzz: the chart specs of docs/experiments.md
    put("plot_spec_fuzz", "bars.json", json.dumps({"type": "bars", "title": "mAP", "groups": ["16", "32"],
        "series": [{"label": "a", "values": [0.5, None], "errors": [0.01, 0]}], "y": {"min": 0, "max": 1}}))
    put("plot_spec_fuzz", "lines.json", json.dumps({"type": "lines", "legend": "top-left", "x": {"label": "recall"},
        "series": [{"label": "pr", "x": [0, 0.5, 1], "y": [1, 0.7, 0.2], "markers": True, "dashed": False}]}))
    put("plot_spec_fuzz", "bad-type.json", json.dumps({"type": "pie"}))
    # serve_request_fuzz: byte 0 = route (0 POST search JSON, 1 GET search query, 2 item, 3 thumbnail)
    code = rows(1, 8, 1).hex()
    for name, body in {"knn-code": {"code": code, "k": 5}, "radius-code": {"code": code, "radius": 20},
                       "knn-id": {"id": 3, "k": 4, "exclude_query": True}, "bad-k": {"id": 1, "k": -1},
                       "both": {"id": 1, "code": code}}.items():
        put("serve_request_fuzz", "post-" + name, b"\x00" + json.dumps(body).encode())
    put("serve_request_fuzz", "post-not-json", b"\x00{\"k\": ")
    put("serve_request_fuzz", "get-search", b"\x01id=2&k=3")
    put("serve_request_fuzz", "get-search-radius", b"\x01code=" + code.encode() + b"&radius=12")
    put("serve_request_fuzz", "item", b"\x025")
    put("serve_request_fuzz", "item-bad", b"\x02-1")
    put("serve_request_fuzz", "thumbnail", b"\x035")


main()
