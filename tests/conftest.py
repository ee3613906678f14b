# SPDX-License-Identifier: MIT
"""Shared by every test folder: this file's folder, tests/, is on
sys.path (pytest puts a conftest.py's folder there), so any test module
imports the target table as ``from build_targets import ...``."""
