"""motorcred: issuance and verification of electronic driving licences and vehicle registrations."""

__version__ = "0.1.0"
