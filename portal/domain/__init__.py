"""The policy, in pure Python: no Flask, no database session, no Babel. Plain data in, plain data out."""
