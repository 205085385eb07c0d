#!/usr/bin/env python3
"""Rewrite a corpus of JSONL records into a house style with Apache Spark.

Each input line is a record {"id": ..., "text": ...}. Every executor pipes its partition through
`housestyle filter STYLE --jsonl` (RDD.pipe), which writes one record per input record, in order:
{"id": ..., "text": <rewritten>, "edits": [...], "findings": [...]}, or {"id": ..., "error": ...} for a malformed
record. The style file and the model bundle next to it (models/<style>/) are only read, so every
executor can share one copy: a shared folder, or an archive shipped with --archives.

Local mode (what scripts/spark-test.sh runs):

    python3 examples/spark/rewrite_corpus.py --style styles/acme.yaml \
        --housestyle .build/release/housestyle --input corpus.jsonl --output out/

On a cluster, submit the same file with spark-submit (see docs/scaling.md).
"""
import argparse
import json
import os
import shlex
import sys


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--style", required=True,
                        help="style file; a path relative to the executors' working folder on a cluster")
    parser.add_argument("--housestyle", default="housestyle",
                        help="the housestyle executable on every executor (default: housestyle on PATH)")
    parser.add_argument("--input", required=True, help="JSONL records, a file or folder (any Hadoop path)")
    parser.add_argument("--output", required=True, help="folder to write the rewritten records to (must not exist)")
    parser.add_argument("--partitions", type=int, default=0, help="minimum number of input partitions")
    parser.add_argument("--master", default=None, help="Spark master; default: spark-submit's, else local[*]")
    parser.add_argument("--input-format", choices=["markdown", "plain"], default="markdown",
                        help="how housestyle reads each record's text")
    return parser.parse_args(argv)


def filter_command(arguments):
    """The command every executor runs on its partition. Relative paths are relative to the
    executor's working folder: the folder the job was started in, in local mode."""
    return [arguments.housestyle, "filter", arguments.style, "--jsonl", "--input-format", arguments.input_format]


def main(argv):
    arguments = parse_arguments(argv)
    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName("housestyle-rewrite")
    if arguments.master:
        conf.setMaster(arguments.master)
    elif not conf.contains("spark.master"):
        conf.setMaster("local[*]")
    context = SparkContext(conf=conf)
    context.setLogLevel("WARN")
    try:
        records = context.textFile(arguments.input, minPartitions=arguments.partitions or None)
        # housestyle exits 1 when a record is malformed; the record itself says so, so the exit
        # status is not checked (checkCode=False) and the other records of the partition are kept.
        command = " ".join(shlex.quote(part) for part in filter_command(arguments))
        # RDD.pipe starts the command with an EMPTY environment unless given one. Pass the
        # driver's OpenBLAS settings so every executor computes with the same kernels (scores are
        # floating point; another kernel changes their last bits), plus the basics a process expects.
        wanted = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "HOUSESTYLE_BASE_MODEL", "HOUSESTYLE_DATA")
        environment = {key: value for key, value in os.environ.items()
                       if key in wanted or key.startswith("OPENBLAS_") or key.startswith("OMP_")}
        rewritten = records.pipe(command, env=environment, checkCode=False)
        rewritten.saveAsTextFile(arguments.output)
    finally:
        context.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
