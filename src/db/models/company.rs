use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::companies;

/// A tenant: a helpdesk company and its policies.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = companies)]
pub struct Company {
    pub id: String,
    pub name: String,
    pub require_two_factor: bool,
    pub two_factor_grace_until: Option<NaiveDateTime>,
    pub trusted_days_max: i32,
    pub admins_always_enter_code: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = companies)]
pub struct NewCompany<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub trusted_days_max: i32,
    pub created_at: NaiveDateTime,
}

impl Company {
    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Company>> {
        companies::table.find(id).select(Company::as_select()).first(conn).optional()
    }

    pub fn find_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<Company>> {
        companies::table
            .filter(companies::name.eq(name))
            .select(Company::as_select())
            .first(conn)
            .optional()
    }

    pub fn insert(conn: &mut DbConnection, new: &NewCompany<'_>) -> QueryResult<()> {
        diesel::insert_into(companies::table).values(new).execute(conn).map(|_| ())
    }
}
