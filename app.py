"""`python app.py` is `assistant serve` (the Gradio app on 127.0.0.1:7860)."""
import sys

from assistant.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
