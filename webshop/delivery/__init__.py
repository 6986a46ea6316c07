"""Getting EHF messages to suppliers: the outbox rows and the transports that deliver them."""
