//! The context of each HTML page: home, article, kind index, entity page,
//! archive, search, and the redirect at an old address. Each view holds
//! only what its template shows, and takes it from a [`Reader`](super::reader::Reader), so that what a page
//! shows is what it is re-rendered for; article cards come shared from
//! [`Cards`](super::Cards).

mod article;
pub(super) mod editions;
mod entity;
mod home;
mod lists;
mod redirect;

pub(super) use article::article;
pub(super) use editions::{edition, edition_index};
pub(super) use entity::{entity, kind_index};
pub(super) use home::home;
pub(super) use lists::{archive, search};
pub(super) use redirect::redirect;
