internal import CYAML

/// The version of libyaml HouseStyle is linked against.
public var libyamlVersion: String { String(cString: yaml_get_version_string()) }
