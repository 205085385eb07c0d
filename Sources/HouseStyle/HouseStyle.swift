import HouseStyleText
import HouseStyleYAML
import HouseStyleNumerics

/// Version of HouseStyle.
public let houseStyleVersion = "0.1.0"
