//! `Serialize` values into [`Data`], the way `serde_json::value::Serializer` serializes them
//! into `Value` (the tests compare the two).

use std::fmt;

use bumpalo::collections::Vec as ArenaVec;
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, SerializeStruct, Serializer};
use serde_json::Number;

use super::{Arena, Data};

#[derive(Debug)]
pub(crate) struct DataError(String);

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DataError {}

impl ser::Error for DataError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DataError(msg.to_string())
    }
}

/// Serializes into the arena it holds.
#[derive(Clone, Copy)]
pub(super) struct DataSerializer<'a>(pub(super) &'a Arena);

fn float<'a>(f: f64) -> Data<'a> {
    Number::from_f64(f).map_or(Data::Null, Data::Number)
}

/// The parts of `Serializer` the contexts never reach (enums with data, bytes, 128-bit numbers).
fn unsupported(what: &str) -> DataError {
    DataError(format!("template data cannot hold {what}"))
}

/// `serialize_*` for integer types: every one fits a JSON number.
macro_rules! integers {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, v: $type) -> Result<Data<'a>, DataError> {
            Ok(Data::Number(v.into()))
        }
    )*};
}

impl<'a> Serializer for DataSerializer<'a> {
    type Ok = Data<'a>;
    type Error = DataError;
    type SerializeSeq = SeqBuilder<'a>;
    type SerializeTuple = SeqBuilder<'a>;
    type SerializeTupleStruct = SeqBuilder<'a>;
    type SerializeTupleVariant = ser::Impossible<Data<'a>, DataError>;
    type SerializeMap = MapBuilder<'a>;
    type SerializeStruct = MapBuilder<'a>;
    type SerializeStructVariant = ser::Impossible<Data<'a>, DataError>;

    fn serialize_bool(self, v: bool) -> Result<Data<'a>, DataError> {
        Ok(Data::Bool(v))
    }
    integers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);
    fn serialize_f32(self, v: f32) -> Result<Data<'a>, DataError> {
        Ok(float(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Data<'a>, DataError> {
        Ok(float(v))
    }
    fn serialize_char(self, v: char) -> Result<Data<'a>, DataError> {
        Ok(Data::String(self.0.alloc_str(v.encode_utf8(&mut [0; 4]))))
    }
    fn serialize_str(self, v: &str) -> Result<Data<'a>, DataError> {
        Ok(Data::String(self.0.alloc_str(v)))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Data<'a>, DataError> {
        Err(unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<Data<'a>, DataError> {
        Ok(Data::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Data<'a>, DataError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Data<'a>, DataError> {
        Ok(Data::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Data<'a>, DataError> {
        Ok(Data::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Data<'a>, DataError> {
        Ok(Data::String(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Data<'a>, DataError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Data<'a>, DataError> {
        let value = value.serialize(self)?;
        Ok(Data::Object(self.0.alloc([(variant, value)])))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder<'a>, DataError> {
        Ok(SeqBuilder(ArenaVec::with_capacity_in(
            len.unwrap_or(0),
            self.0,
        )))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder<'a>, DataError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<SeqBuilder<'a>, DataError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, DataError> {
        Err(unsupported("tuple variants"))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder<'a>, DataError> {
        Ok(MapBuilder {
            // No length: a `#[serde(flatten)]`ed struct, whose fields come one by one; room for
            // a model struct's fields spares growing the list three times over.
            fields: ArenaVec::with_capacity_in(len.unwrap_or(16), self.0),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapBuilder<'a>, DataError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, DataError> {
        Err(unsupported("struct variants"))
    }
}

pub(super) struct SeqBuilder<'a>(ArenaVec<'a, Data<'a>>);

impl<'a> SerializeSeq for SeqBuilder<'a> {
    type Ok = Data<'a>;
    type Error = DataError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), DataError> {
        let arena = self.0.bump();
        self.0.push(value.serialize(DataSerializer(arena))?);
        Ok(())
    }
    fn end(self) -> Result<Data<'a>, DataError> {
        Ok(Data::Array(self.0.into_bump_slice()))
    }
}

impl<'a> ser::SerializeTuple for SeqBuilder<'a> {
    type Ok = Data<'a>;
    type Error = DataError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), DataError> {
        SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Data<'a>, DataError> {
        SerializeSeq::end(self)
    }
}

impl<'a> ser::SerializeTupleStruct for SeqBuilder<'a> {
    type Ok = Data<'a>;
    type Error = DataError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), DataError> {
        SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Data<'a>, DataError> {
        SerializeSeq::end(self)
    }
}

/// Sets `key` in place if it is there, else at the end: what `serde_json::Map::insert` does
/// with preserved order (a later duplicate replaces an earlier one where it stood).
fn set_field<'a>(fields: &mut ArenaVec<'a, (&'a str, Data<'a>)>, key: &'a str, value: Data<'a>) {
    match fields.iter_mut().find(|(k, _)| *k == key) {
        Some((_, existing)) => *existing = value,
        None => fields.push((key, value)),
    }
}

pub(super) struct MapBuilder<'a> {
    fields: ArenaVec<'a, (&'a str, Data<'a>)>,
    key: Option<&'a str>,
}

impl<'a> SerializeMap for MapBuilder<'a> {
    type Ok = Data<'a>;
    type Error = DataError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), DataError> {
        let arena = self.fields.bump();
        self.key = Some(match key.serialize(DataSerializer(arena))? {
            Data::String(s) => s,
            Data::Number(n) => arena.alloc_str(&n.to_string()),
            Data::Bool(b) => {
                if b {
                    "true"
                } else {
                    "false"
                }
            }
            _ => return Err(unsupported("a map key that is not a string")),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), DataError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| DataError("a map value came before its key".into()))?;
        let value = value.serialize(DataSerializer(self.fields.bump()))?;
        set_field(&mut self.fields, key, value);
        Ok(())
    }
    fn end(self) -> Result<Data<'a>, DataError> {
        Ok(Data::Object(self.fields.into_bump_slice()))
    }
}

impl<'a> SerializeStruct for MapBuilder<'a> {
    type Ok = Data<'a>;
    type Error = DataError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), DataError> {
        // Struct fields are distinct: no need to look for an earlier one.
        let value = value.serialize(DataSerializer(self.fields.bump()))?;
        self.fields.push((key, value));
        Ok(())
    }
    fn end(self) -> Result<Data<'a>, DataError> {
        Ok(Data::Object(self.fields.into_bump_slice()))
    }
}
