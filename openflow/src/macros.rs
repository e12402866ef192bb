//! Declarative macros for the two shapes of constant the protocol is full of: open enums
//! (a closed list of known values that still keeps unknown ones) and flag sets (bit masks
//! that keep unknown bits).

/// Declares an open enum over an integer: named variants for the spec's values plus
/// `Unknown(raw)`, so that a value we do not know survives a parse/emit round trip.
///
/// Each variant carries the name `ovs-ofctl` prints for it.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident($repr:ty) {
            $( $(#[$vmeta:meta])* $variant:ident = $value:expr => $text:expr, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this crate does not know, kept as it was on the wire.
            Unknown($repr),
        }

        impl $name {
            /// Every known variant, in spec order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The raw wire value.
            pub const fn raw(self) -> $repr {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Unknown(v) => v,
                }
            }

            /// The variant for a raw wire value.
            pub const fn from_raw(v: $repr) -> Self {
                $( if v == $value { return $name::$variant; } )*
                $name::Unknown(v)
            }

            /// The name `ovs-ofctl` prints, if the value is known.
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    $( $name::$variant => Some($text), )*
                    $name::Unknown(_) => None,
                }
            }

            /// The known variant whose `ovs-ofctl` name is `text` (ASCII case-insensitive).
            pub fn from_name(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.name().is_some_and(|n| n.eq_ignore_ascii_case(text)))
            }
        }

        impl From<$repr> for $name {
            fn from(v: $repr) -> Self {
                Self::from_raw(v)
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> $repr {
                v.raw()
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "{}", self.raw()),
                }
            }
        }
    };
}

/// Declares a set of bit flags over an integer. Unknown bits are kept, so a parse/emit round
/// trip is lossless. `Display` lists the known names the way `ovs-ofctl` does, separated by
/// spaces, followed by any unknown bits in hex.
macro_rules! flags {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($repr:ty) {
            $( $(#[$fmeta:meta])* const $flag:ident = $value:expr => $text:expr; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
        $vis struct $name(pub $repr);

        #[allow(dead_code)]
        impl $name {
            $( $(#[$fmeta])* pub const $flag: $name = $name($value); )*
            /// Every known flag with its `ovs-ofctl` name.
            pub const KNOWN: &'static [($name, &'static str)] = &[$(($name::$flag, $text)),*];
            /// No flag set.
            pub const EMPTY: $name = $name(0);

            /// The raw bits.
            pub const fn bits(self) -> $repr {
                self.0
            }
            /// True if every bit of `other` is set in `self`.
            pub const fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }
            /// True if no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }
            /// Bits set that no known flag names.
            pub const fn unknown_bits(self) -> $repr {
                let mut known: $repr = 0;
                $( known |= $value; )*
                self.0 & !known
            }
            /// The flag whose `ovs-ofctl` name is `text` (ASCII case-insensitive).
            pub fn from_name(text: &str) -> Option<$name> {
                Self::KNOWN.iter().find(|(_, n)| n.eq_ignore_ascii_case(text)).map(|(f, _)| *f)
            }
        }

        impl core::ops::BitOr for $name {
            type Output = $name;
            fn bitor(self, rhs: $name) -> $name {
                $name(self.0 | rhs.0)
            }
        }

        impl core::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, rhs: $name) {
                self.0 |= rhs.0;
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                let mut first = true;
                for (flag, text) in Self::KNOWN {
                    if flag.0 != 0 && self.contains(*flag) {
                        if !first {
                            f.write_str(" ")?;
                        }
                        f.write_str(text)?;
                        first = false;
                    }
                }
                let unknown = self.unknown_bits();
                if unknown != 0 {
                    if !first {
                        f.write_str(" ")?;
                    }
                    write!(f, "{:#x}", unknown)?;
                }
                Ok(())
            }
        }
    };
}
