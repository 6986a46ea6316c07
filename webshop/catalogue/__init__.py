"""Suppliers, agreements, versioned catalogues and catalogue search."""
