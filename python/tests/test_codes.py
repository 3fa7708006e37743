"""shrewd.pack / shrewd.unpack: every element-per-bit form round-trips through numpy's packbits
layout, and bad arrays raise the command line's messages."""

import re

import numpy as np
import pytest

import shrewd


@pytest.fixture
def bits():
    return np.random.default_rng(7).random((50, 72)) < 0.5


def test_pack_is_numpy_packbits(bits):
    packed = shrewd.pack(bits)
    assert packed.dtype == np.uint8 and packed.shape == (50, 9)
    np.testing.assert_array_equal(packed, np.packbits(bits, axis=1))


@pytest.mark.parametrize("dtype, zero, one", [("bool", False, True), ("uint8", 0, 1), ("int8", -1, 1),
                                               ("float32", -1.0, 1.0)])
def test_round_trip_in_every_form(bits, dtype, zero, one):
    given = np.where(bits, one, zero).astype(dtype)
    packed = shrewd.pack(given)
    np.testing.assert_array_equal(packed, np.packbits(bits, axis=1))
    unpacked = shrewd.unpack(packed, dtype=dtype)
    assert unpacked.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(unpacked, given)


def test_float_sign_decides_the_bit():
    z = np.array([[0.3, -0.1, 0.0, -2.0, 5.0, -0.0, 1e-9, -1e-9]], dtype=np.float32)
    np.testing.assert_array_equal(shrewd.unpack(shrewd.pack(z)), [[1, 0, 1, 0, 1, 1, 1, 0]])


def test_unpack_of_unaligned_and_sliced_rows(bits):
    packed = np.packbits(bits, axis=1)  # 9 bytes: not a whole number of words
    np.testing.assert_array_equal(shrewd.unpack(packed[10:20]), bits[10:20])
    np.testing.assert_array_equal(shrewd.unpack(np.zeros((0, 4), np.uint8)), np.zeros((0, 32), bool))


@pytest.mark.parametrize("array, message", [
    (np.zeros((3, 12), bool), "bits: code length K = 12 bits is not supported"),
    (np.zeros((3, 1032), bool), "bits: code length K = 1032 bits is not supported"),
    (np.zeros(16, bool), "bits: codes must be a 2-D array"),
    (np.array([[0, 1, 2, 0, 0, 0, 0, 0]], np.uint8), "bits: row 0, column 2: expected 0 or 1"),
    (np.array([[1, -1, 0, 1, 1, 1, 1, 1]], np.int8), "bits: row 0, column 2: expected -1 or +1"),
    (np.full((1, 8), np.nan, np.float32), "bits: row 0, column 0: expected a number (found NaN)"),
    (np.zeros((2, 8), np.int32), "bits: codes cannot have dtype int32"),
])
def test_bad_bits_raise_value_error(array, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        shrewd.pack(array)


def test_unsupported_dtype_is_a_type_error():
    with pytest.raises(TypeError, match="bits: unsupported dtype float16"):
        shrewd.pack(np.zeros((2, 8), np.float16))


def test_non_contiguous_array_is_refused(bits):
    with pytest.raises(ValueError, match="not C-contiguous"):
        shrewd.pack(bits[:, ::2])
    with pytest.raises(ValueError, match="not C-contiguous"):
        shrewd.unpack(np.packbits(bits, axis=1).T)


def test_unpack_checks_its_arguments():
    with pytest.raises(ValueError, match="dtype: 'int16' is not one of"):
        shrewd.unpack(np.zeros((1, 1), np.uint8), dtype="int16")
    with pytest.raises(ValueError, match="codes: codes cannot have dtype int32"):
        shrewd.unpack(np.zeros((1, 1), np.int32))
