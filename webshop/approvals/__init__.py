"""Approval workflow: who may approve which order. Rules in rules.py are plain Python."""
