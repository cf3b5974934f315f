"""Flask extensions, created once and bound to the app in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# No default limits: each limit is set where a route needs one (sign-in, password reset).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
