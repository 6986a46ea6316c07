"""Peppol BIS business rules, implemented in Python from the specification."""
