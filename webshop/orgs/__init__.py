"""Organisations: the purchasing collaboration, member municipalities, their units, users and roles."""
