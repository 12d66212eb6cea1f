# SPDX-License-Identifier: Apache-2.0
"""Splitting a long test module over several ctest entries, so `ctest -j`
can run its parts side by side, and sampling it in a second variant.

A module opts in with `from harness.shard import load_tests`. ctest then sets:
  ECS_TEST_SHARD=i/n   run only the i-th of n interleaved slices (0-based)
  ECS_TEST_SAMPLE=k    run only every k-th test (before slicing)
Tests are ordered by id, so every slice is the same from run to run and the
slices together are the whole module (or the whole sample)."""
import os
import unittest


def _flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from _flatten(item)
        else:
            yield item


def select(tests, shard=None, sample=None):
    """The tests a shard "i/n" and a sample "k" keep, in id order."""
    tests = sorted(tests, key=lambda t: t.id())
    if sample:
        tests = tests[::int(sample)]
    if shard:
        i, n = (int(x) for x in shard.split("/"))
        tests = tests[i::n]
    return tests


def load_tests(loader, standard_tests, pattern):
    kept = select(_flatten(standard_tests), os.environ.get("ECS_TEST_SHARD"),
                  os.environ.get("ECS_TEST_SAMPLE"))
    return unittest.TestSuite(kept)
