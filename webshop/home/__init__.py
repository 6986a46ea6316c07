"""The start page per role and the header's counts (issue 15).

The orderer sees the cart, what changed on recent orders, favourites and templates; the
approver the inbox with its count first; the coordinator failed deliveries and orders
waiting. The page only reads: every action on it posts to the feature that owns it.
"""
