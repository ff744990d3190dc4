"""Signed, versioned list packages: the Bloom filter of tags, sealed slots and sealed records.

``publish`` (authority) writes a package directory; ``verify_package`` (bank) checks it against a
pinned signing key, the digest of every part and the version chain before anything is used.
"""

from api.packages.bloom import BloomFilter
from api.packages.publish import publish
from api.packages.verify import Package, PackageError, verify_package

__all__ = ["BloomFilter", "Package", "PackageError", "publish", "verify_package"]
