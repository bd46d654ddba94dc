#include "aidc/model/money_flow.hpp"
