"""What is checked: barrier implementations written with plain ``threading``.

Nothing here imports the rest of barrierlab; every module runs for real on real threads.
"""
