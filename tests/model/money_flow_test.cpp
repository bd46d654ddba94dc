#include "aidc/model/money_flow.hpp"
#include <gtest/gtest.h>
