"""`python ingest.py PATH...` is `assistant ingest PATH...`."""
import sys

from assistant.cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest", *sys.argv[1:]]))
