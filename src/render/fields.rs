//! One field of a serialisable struct, made into a template value on its own,
//! and the names of a struct's fields, both read from the struct's own
//! `Serialize`. The lazy template objects (`site_value`) answer a lookup with
//! one field instead of serialising the whole struct, and list exactly the
//! fields the struct has: adding a field to a view struct makes it visible to
//! templates, with no list of names to keep in step by hand.

use minijinja::Value;
use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct, Serializer};

/// The template value of field `key` of `value`; `None` when it has no such
/// field (or is not a struct).
pub fn field<T: Serialize + ?Sized>(value: &T, key: &str) -> Option<Value> {
    let mut picker = Picker {
        want: Some(key),
        keys: Vec::new(),
        found: None,
    };
    match value.serialize(&mut picker) {
        Ok(()) | Err(Stop::Found) => picker.found,
        Err(Stop::NotAStruct) => None,
    }
}

/// The names of the fields `value` serialises, in order.
pub fn keys<T: Serialize + ?Sized>(value: &T) -> Vec<&'static str> {
    let mut picker = Picker {
        want: None,
        keys: Vec::new(),
        found: None,
    };
    let _ = value.serialize(&mut picker);
    picker.keys
}

/// A serializer that reads one struct's fields and keeps one of them.
struct Picker<'k> {
    /// The field to keep; `None` collects the names of all.
    want: Option<&'k str>,
    keys: Vec<&'static str>,
    found: Option<Value>,
}

/// Why a `Picker` stopped: it found its field (early, on purpose), or the
/// value is not a struct.
#[derive(Debug)]
enum Stop {
    Found,
    NotAStruct,
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stop::Found => "found",
            Stop::NotAStruct => "not a struct",
        })
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop::NotAStruct
    }
}

impl SerializeStruct for &mut Picker<'_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), Stop> {
        match self.want {
            Some(want) if want == key => {
                self.found = Some(super::val(value));
                Err(Stop::Found)
            }
            Some(_) => Ok(()),
            None => {
                self.keys.push(key);
                Ok(())
            }
        }
    }

    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

/// Everything but a struct stops the picker.
macro_rules! not_a_struct {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {$(
        fn $name(self, $(_: $arg),*) -> Result<(), Stop> {
            Err(Stop::NotAStruct)
        }
    )*};
}

impl<'a, 'k> Serializer for &'a mut Picker<'k> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Impossible<(), Stop>;
    type SerializeTuple = Impossible<(), Stop>;
    type SerializeTupleStruct = Impossible<(), Stop>;
    type SerializeTupleVariant = Impossible<(), Stop>;
    type SerializeMap = Impossible<(), Stop>;
    type SerializeStruct = &'a mut Picker<'k>;
    type SerializeStructVariant = Impossible<(), Stop>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Ok(self)
    }

    not_a_struct!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop::NotAStruct)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop::NotAStruct)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct View {
        id: &'static str,
        lines: [usize; 2],
        #[serde(skip)]
        #[allow(dead_code)]
        hidden: u8,
        note: Option<&'static str>,
    }

    #[test]
    fn one_field_at_a_time_and_every_name() {
        let v = View {
            id: "3.4",
            lines: [12, 14],
            hidden: 1,
            note: None,
        };
        assert_eq!(field(&v, "id").map(|x| x.to_string()), Some("3.4".into()));
        assert_eq!(
            field(&v, "lines").map(|x| x.to_string()),
            Some(super::super::val([12, 14]).to_string())
        );
        assert!(field(&v, "note").is_some_and(|x| x.is_none()));
        assert!(
            field(&v, "hidden").is_none(),
            "a skipped field is not there"
        );
        assert!(field(&v, "nothing").is_none());
        assert_eq!(keys(&v), ["id", "lines", "note"]);
        assert!(field(&3, "id").is_none(), "not a struct");
    }
}
