import HouseStyle
print("housestyle-bench: no benchmarks yet")
