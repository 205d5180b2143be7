"""Reading and writing files: framework files, results files, and what the engine's results become."""
