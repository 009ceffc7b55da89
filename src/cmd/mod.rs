//! One small module per subcommand: each wires the library together for the
//! command line and returns what `main` should print. No pipeline logic here.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod newsletter;
pub mod publish;
pub mod serve;
