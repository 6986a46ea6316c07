"""Demo and training data: readable data files in data/ and the code that loads them."""
