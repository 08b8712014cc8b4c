//! Domain values stored in text columns, read back through their own parser:
//! a value the code does not know (a row written by a newer version, a hand
//! edit) is a deserialization error, never silently an agent or "disabled".

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use crate::domain::{AgentId, CompanyId, Role, TwoFactorStatus};

macro_rules! text_column {
    ($ty:ty, $what:literal) => {
        impl<DB> FromSql<Text, DB> for $ty
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let raw = String::from_sql(bytes)?;
                <$ty>::parse(&raw).ok_or_else(|| format!("unknown {} {raw:?} in the database", $what).into())
            }
        }

        impl<DB> Queryable<Text, DB> for $ty
        where
            DB: Backend,
            $ty: FromSql<Text, DB>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }
    };
}

text_column!(Role, "role");
text_column!(TwoFactorStatus, "two-factor status");
text_column!(AgentId, "agent id");
text_column!(CompanyId, "company id");

/// Ids bind as the text they are: `agents::id.eq(&agent_id)`.
macro_rules! id_expression {
    ($ty:ty) => {
        impl<'a> AsExpression<Text> for &'a $ty {
            type Expression = <&'a str as AsExpression<Text>>::Expression;

            fn as_expression(self) -> Self::Expression {
                <&'a str as AsExpression<Text>>::as_expression(self.as_str())
            }
        }
    };
}

id_expression!(AgentId);
id_expression!(CompanyId);

#[cfg(test)]
mod tests {
    use diesel::dsl::sql;
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    use crate::domain::{AgentId, Role, TwoFactorStatus};

    fn read<T>(literal: &str) -> QueryResult<T>
    where
        T: diesel::deserialize::FromSql<Text, diesel::sqlite::Sqlite> + diesel::Queryable<Text, diesel::sqlite::Sqlite, Row = T> + 'static,
    {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        diesel::select(sql::<Text>(literal)).get_result::<T>(&mut conn)
    }

    #[test]
    fn known_values_are_read_and_unknown_ones_are_errors() {
        assert_eq!(read::<Role>("'admin'").unwrap(), Role::Admin);
        assert_eq!(read::<TwoFactorStatus>("'pending'").unwrap(), TwoFactorStatus::Pending);
        let unknown = format!("{:?}", read::<Role>("'superuser'").unwrap_err());
        assert!(unknown.contains("unknown role"), "{unknown}");
        assert!(read::<TwoFactorStatus>("'on'").is_err());
        assert!(read::<TwoFactorStatus>("''").is_err());
    }

    #[test]
    fn ids_are_read_checked_and_bind_as_text() {
        let id = AgentId::generate();
        assert_eq!(read::<AgentId>(&format!("'{id}'")).unwrap(), id);
        assert!(read::<AgentId>("'not an id'").is_err());
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let same: bool = diesel::select(sql::<Text>(&format!("'{id}'")).eq(&id)).get_result(&mut conn).unwrap();
        assert!(same);
    }
}
